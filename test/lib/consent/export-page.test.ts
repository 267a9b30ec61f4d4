import { describe, expect, it } from 'vitest';
import type { PersonExport } from '../../../lib/consent/export';
import { exportPage } from '../../../lib/consent/pages';
import { HOSTILE, personExport as sample } from '../../support/person-export';

/**
 * The export page: what is held, grouped and in plain words, with the complete JSON beside it as a
 * download that needs no second use of the single-use link.
 */
const EN = { lang: 'en', locale: 'en-US', timeZone: 'America/New_York' } as const;
const ES = { lang: 'es', locale: 'es-US', timeZone: 'America/New_York' } as const;


/** The page's text, as a person reads it: tags gone, entities decoded, spaces collapsed. */
const textOf = (page: string) =>
  page
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/\s+/g, ' ');
const downloadLink = (page: string) => /<a\b[^>]*\bdownload="([^"]*)"[^>]*\bhref="([^"]*)"/.exec(page);
const decodedHref = (href: string) => href.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

describe('exportPage', () => {
  it('offers the complete JSON as a download on the page itself, with no second request', () => {
    const data = sample();

    const [, fileName, href] = downloadLink(exportPage(data, EN)) ?? [];
    const prefix = 'data:application/json;base64,';

    expect([fileName, decodedHref(href ?? '').startsWith(prefix)]).toEqual(['my-bank-assistant-data-2026-11-21.json', true]);
    expect(JSON.parse(Buffer.from(decodedHref(href!).slice(prefix.length), 'base64').toString('utf8'))).toEqual(data);
  });

  it('says in plain words what is shared, the accounts and balances, and the transactions with their dates', () => {
    const text = textOf(exportPage(sample(), EN));

    for (const expected of [
      'First Platypus Bank',
      'Shared now',
      'What it shares: balances, transactions, alerts.',
      'Everyday Checking ••0042: $900.00 (available: $820.50)',
      '3 transactions, from Aug 24, 2026 to Nov 20, 2026.',
      'Nov 20, 2026 · Bean There · -$4.50',
      'Aug 24, 2026 · PAYROLL · $2,450.00',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('says which alerts were sent with the person’s answer, the alert settings, the chat and the consent history', () => {
    const text = textOf(exportPage(sample(), EN));

    for (const expected of [
      'Large transaction, you said it was not you',
      '1 alert is waiting for your next message.',
      'Fraud alerts: off.',
      'Large transaction alerts: from 250.',
      'Your last question: “how much on coffee?”',
      'how much on coffee?',
      'Records of replies we sent: 1.',
      '40 transactions deleted, and the connection removed at your bank',
      'You agreed to share',
      'You started linking a bank',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('tells the consent records’ events and the rest of the audit as one history, newest first', () => {
    const text = textOf(exportPage(sample(), EN));

    const at = ['A request with your link was refused', 'You agreed to share', 'You started linking a bank'].map((said) => text.indexOf(said, text.indexOf('History of your consents')));
    expect([at.every((i) => i > 0), [...at].sort((a, b) => a - b)]).toEqual([true, at]);
  });

  it('says how many of our messages wait for the person’s next one, in both languages, and nothing when none do', () => {
    const held = { key: 'consent:c-1:reminder-30:2027-01-30T12:05:00.000Z', notice: { kind: 'expiry-reminder', consentId: 'c-1', expiresAt: '2027-01-30T12:05:00.000Z' }, heldAt: '2026-12-31T12:05:00.000Z' };
    const withHeld = (data: PersonExport) => ({ ...data, messaging: { ...data.messaging, heldNotices: [held] } });

    expect([
      textOf(exportPage(withHeld(sample()), EN)).includes('1 message from us is waiting for your next message'),
      textOf(exportPage(withHeld(sample()), ES)).includes('1 mensaje nuestro espera a tu próximo mensaje'),
      textOf(exportPage(sample(), EN)).includes('waiting for your next message (a reminder'),
    ]).toEqual([true, true, false]);
  });

  it('says, in both languages, that the chat itself is in Messenger and passes through Meta, and that the page lists only what we hold', () => {
    expect([textOf(exportPage(sample(), EN)), textOf(exportPage(sample(), ES))]).toEqual([
      expect.stringContaining('The chat itself, with the answers and alerts we sent you, is also in Messenger, which passes every message through Meta’s servers like any other: this page lists only what we hold.'),
      expect.stringContaining('El chat en sí, con las respuestas y alertas que te enviamos, también está en Messenger, que hace pasar cada mensaje por los servidores de Meta como cualquier otro'),
    ]);
  });

  it('says the zone of every time of day it shows', () => {
    const text = textOf(exportPage(sample(), EN));

    // Synced 14:00 UTC: 9:00 AM in New York, the deployment's zone here.
    expect(text).toContain('Nov 21, 2026, 9:00 AM ET');
    expect(text).not.toMatch(/\d:\d\d [AP]M(?! ET)/);
    expect(textOf(exportPage(sample(), ES))).toContain('21 nov 2026, 9:00 a. m. ET');
  });

  it('lists accounts checking, savings, credit, then the rest, as the chat does', () => {
    const data = sample();
    const [bank] = data.financialData;
    const [checking] = bank!.accounts;
    const card = { ...checking!, accountId: 'acc-2', name: 'Aardvark Card', mask: '7777', type: 'credit' as const, subtype: 'credit card' };
    const savings = { ...checking!, accountId: 'acc-3', name: 'Zebra Savings', mask: '8888', subtype: 'savings' };
    const reordered = { ...data, financialData: [{ ...bank!, accounts: [card, savings, checking!] }] };

    const text = textOf(exportPage(reordered, EN));

    const where = ['Everyday Checking', 'Zebra Savings', 'Aardvark Card'].map((name) => text.indexOf(name));
    expect(where.every((at) => at > -1)).toBe(true);
    expect([...where].sort((x, y) => x - y)).toEqual(where);
  });

  it('escapes what came from the bank or the person', () => {
    const page = exportPage(sample(), EN);

    expect([page.includes(HOSTILE), textOf(page).includes(HOSTILE)]).toEqual([false, true]);
  });

  it('is written in Spanish for a person who speaks Spanish with the assistant', () => {
    const page = exportPage(sample(), ES);
    const text = textOf(page);

    expect([/<div lang="es"/.test(page), text.includes('Tus datos'), text.includes('Descargar todo (archivo JSON)'), text.includes('dijiste que no fuiste tú'), text.includes('Cuentas y saldos')]).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
  });

  it('tells a person with nothing shared so, and still offers the file', () => {
    const page = exportPage(sample({ consents: [], financialData: [], alertSettings: null, consentHistory: [] }), EN);

    expect([textOf(page).includes('You have not shared a bank with us.'), textOf(page).includes('the default settings apply'), downloadLink(page) !== null]).toEqual([true, true, true]);
  });
});
