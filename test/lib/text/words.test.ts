import { describe, expect, it } from 'vitest';
import { alertWords } from '../../../lib/text/alerts';
import { chatWords } from '../../../lib/text/chat';
import { consentWords } from '../../../lib/text/consent';
import { exportPageWords } from '../../../lib/text/export-page';
import { insightsWords } from '../../../lib/text/insights';
import { LANGUAGES } from '../../../lib/text/language';
import { moneyWords } from '../../../lib/text/money';
import { profileWords } from '../../../lib/text/profile';

/**
 * TypeScript proves that each language says everything (every table is typed by its area's
 * interface). These check what it cannot: no word left empty, and button titles that Messenger
 * would otherwise cut.
 */
const tables = { alerts: alertWords, chat: chatWords, consent: consentWords, exportPage: exportPageWords, insights: insightsWords, money: moneyWords, profile: profileWords };

/** Every fixed word of a table (strings and lists of them; sentences built by functions aside), with its path. */
const wordsOf = (value: unknown, path: string): [string, string][] =>
  typeof value === 'string'
    ? [[path, value]]
    : Array.isArray(value)
      ? value.flatMap((v, i) => wordsOf(v, `${path}[${i}]`))
      : value && typeof value === 'object'
        ? Object.entries(value).flatMap(([key, v]) => wordsOf(v, `${path}.${key}`))
        : [];

describe('the words of each language', () => {
  it.each(LANGUAGES)('leave no word empty in %s', (lang) => {
    const empty = Object.entries(tables).flatMap(([area, table]) => wordsOf(table[lang], area).filter(([, word]) => word.trim() === ''));
    expect(empty).toEqual([]);
  });

  it.each(LANGUAGES)('title every button within Messenger’s 20 characters in %s, so none is cut', (lang) => {
    const titles: [string, string][] = [
      ...wordsOf(chatWords[lang].titles, 'chat.titles'),
      ...wordsOf(chatWords[lang].clarify.readings, 'chat.clarify.readings'),
      ...wordsOf(consentWords[lang].titles, 'consent.titles'),
      ...wordsOf(moneyWords[lang].titles, 'money.titles'),
      ...wordsOf(alertWords[lang].titles, 'alerts.titles'),
      ['alerts.itWasMe', alertWords[lang].itWasMe],
      ['alerts.notMe', alertWords[lang].notMe],
    ];
    expect(titles.filter(([, title]) => title.length > 20)).toEqual([]);
  });

  it.each(LANGUAGES)('fits the Messenger profile’s limits in %s: menu items 30 characters, ice breakers 80', (lang) => {
    const { menu, breakers } = profileWords[lang];
    expect([...Object.values(menu).filter((t) => t.length > 30), ...Object.values(breakers).filter((t) => t.length > 80)]).toEqual([]);
  });

  it('finds an empty word where there is one (the check itself works)', () => {
    expect(wordsOf({ a: 'x', b: { c: ' ' }, d: ['y', ''], e: () => '' }, 't')).toEqual([
      ['t.a', 'x'],
      ['t.b.c', ' '],
      ['t.d[0]', 'y'],
      ['t.d[1]', ''],
    ]);
  });
});
