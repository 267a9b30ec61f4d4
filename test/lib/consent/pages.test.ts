import { describe, expect, it } from 'vitest';
import type { Consent } from '../../../lib/consent/model/consent';
import { disclosure } from '../../../lib/consent/disclosure';
import { consentRecord } from '../../../lib/consent/consent-record';
import { consentPage, linkedPage, managePage, renewalPage, renewedPage } from '../../../lib/consent/pages';
import { SCOPES } from '../../../lib/consent/model/scopes';

const TOKEN = 'v1.eyJwdXJwb3NlIjoiY29uc2VudCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU';
const RECIPIENT = 'Acme Bank';
const HOSTILE = '<img src=x onerror=alert(1)>';
const HOSTILE_ESCAPED = '&#60;img src&#61;x onerror&#61;alert(1)&#62;';

const pageFor = (recipient = RECIPIENT, error?: string) =>
  consentPage({ token: TOKEN, disclosure: disclosure({ recipient }), recipient, ...(error ? { error } : {}) });

/** Every tag `<name ...>` of a page, as written. */
const tags = (page: string, name: string) => page.match(new RegExp(`<${name}\\b[^>]*>`, 'gi')) ?? [];
const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
const forms = (page: string) => page.match(/<form\b[\s\S]*?<\/form>/gi) ?? [];

describe('consentPage', () => {
  it('shows every section of the disclosure under its heading', () => {
    const shown = disclosure({ recipient: RECIPIENT });
    const page = pageFor();

    expect(shown.sections.map((s) => s.heading).filter((heading) => !page.includes(`<h2>${heading}</h2>`))).toEqual([]);
  });

  it('offers one checkbox per scope', () => {
    const boxes = tags(pageFor(), 'input').filter((tag) => attr(tag, 'type') === 'checkbox');

    expect(boxes.map((tag) => [attr(tag, 'name'), attr(tag, 'value')])).toEqual(SCOPES.map((scope) => ['scope', scope]));
  });

  it('ticks no scope in advance (express consent)', () => {
    const boxes = tags(pageFor(), 'input').filter((tag) => attr(tag, 'type') === 'checkbox');

    expect(boxes.filter((tag) => /\bchecked\b/i.test(tag))).toEqual([]);
  });

  it('offers durations of at most one year, the longest labelled "1 year"', () => {
    const options = [...pageFor().matchAll(/<option value="(\d+)"[^>]*>([^<]*)<\/option>/g)].map((m) => ({ days: Number(m[1]), label: m[2] }));
    const longest = options.reduce((a, b) => (b.days > a.days ? b : a));

    expect([options.length > 0, longest]).toEqual([true, { days: 365, label: '1 year' }]);
  });

  it('puts the durations in a select named duration', () => {
    expect(tags(pageFor(), 'select').map((tag) => attr(tag, 'name'))).toEqual(['duration']);
  });

  it('posts to /consent with the token in a hidden field', () => {
    const [form] = forms(pageFor());
    const hidden = tags(form ?? '', 'input').filter((tag) => attr(tag, 'type') === 'hidden');

    expect([tags(form ?? '', 'form').map((tag) => [attr(tag, 'method'), attr(tag, 'action')]), hidden.map((tag) => [attr(tag, 'name'), attr(tag, 'value')])]).toEqual([
      [['post', '/consent']],
      [['t', TOKEN]],
    ]);
  });

  it('contains no script', () => {
    expect(pageFor()).not.toMatch(/<script/i);
  });

  it('escapes a hostile recipient name everywhere it appears', () => {
    const page = pageFor(HOSTILE);

    expect([page.includes('<img'), page.includes(HOSTILE_ESCAPED)]).toEqual([false, true]);
  });

  it('escapes an error message', () => {
    const page = pageFor(RECIPIENT, HOSTILE);

    expect([page.includes('<img'), page.includes(HOSTILE_ESCAPED)]).toEqual([false, true]);
  });

  it('escapes a token that would break out of its attribute', () => {
    const page = consentPage({ token: '"><script>x</script>', disclosure: disclosure({ recipient: RECIPIENT }), recipient: RECIPIENT });

    expect(page).not.toMatch(/<script/i);
  });

  it('shows the disclosure version', () => {
    expect(pageFor()).toContain(disclosure({ recipient: RECIPIENT }).version);
  });

  it('says where answers appear in each mode, and that in Messenger they pass through Meta like any message', () => {
    const page = pageFor();

    expect([
      '<h2>Where your answers appear</h2>',
      'You choose, below and at any time in the chat. Private (the default): the chat only says that an answer or an alert is ready',
      'no amount, balance, merchant, account name or number or date of yours is in the chat.',
      'In Messenger: the answers and alerts show what they are about in the chat',
      'Like any Messenger message, they pass through Meta’s servers, and chats with a business are not end-to-end encrypted',
      'Either way, what you type in the chat passes through Meta, and Meta gets no access to your bank connection, nor to any of your bank data that is not in a message we send you.',
      'we never use it for advertising, analytics or offers, never sell it and never share it with anyone',
    ].filter((words) => !page.includes(words))).toEqual([]);
  });

  it('no longer says that Meta does not receive the bank data', () => {
    expect(pageFor()).not.toMatch(/does not receive your bank data|only carries the answers/);
  });
});

describe('renewalPage', () => {
  const OLD = consent('c-1', 'active', 'First Platypus Bank');
  const renewal = (overrides: { consent?: Consent; changed?: boolean } = {}) =>
    renewalPage({ token: TOKEN, consent: overrides.consent ?? OLD, disclosure: disclosure({ recipient: RECIPIENT }), ...(overrides.changed ? { changed: true } : {}) });

  it('shows every section of the disclosure in force under its heading, and its version', () => {
    const shown = disclosure({ recipient: RECIPIENT });
    const page = renewal();

    expect([shown.sections.map((s) => s.heading).filter((heading) => !page.includes(`<h2>${heading}</h2>`)), page.includes(`Disclosure version ${shown.version}`)]).toEqual([[], true]);
  });

  it('posts to /consent/renew the token and the hash of the text shown, and nothing else', () => {
    const [form] = forms(renewal());

    expect([
      tags(form ?? '', 'form').map((tag) => [attr(tag, 'method'), attr(tag, 'action')]),
      tags(form ?? '', 'input').map((tag) => [attr(tag, 'type'), attr(tag, 'name'), attr(tag, 'value')]),
    ]).toEqual([[['post', '/consent/renew']], [['hidden', 't', TOKEN], ['hidden', 'disclosure', disclosure({ recipient: RECIPIENT }).hash]]]);
  });

  it('says the words changed only when they changed while the page was open', () => {
    expect([renewal().includes('role="alert"'), renewal({ changed: true }).includes('role="alert"')]).toEqual([false, true]);
  });

  it('escapes a hostile institution name and a token that would break out of its attribute', () => {
    const page = renewalPage({ token: '"><script>x</script>', consent: consent('c-1', 'active', HOSTILE), disclosure: disclosure({ recipient: RECIPIENT }) });

    expect([page.includes('<img'), page.includes(HOSTILE_ESCAPED), /<script/i.test(page)]).toEqual([false, true, false]);
  });
});

describe('renewedPage', () => {
  it('says what is shared and until when', () => {
    expect(renewedPage(consent('c-1', 'active', 'Tartan Bank'))).toContain('You share balances, transactions of Tartan Bank until 30 May 2026.');
  });
});

const consent = (consentId: string, status: Consent['status'], institution?: string): Consent => ({
  consentId,
  psid: '6543210987654321',
  status,
  scopes: ['balances', 'transactions'],
  durationDays: 90,
  disclosureVersion: '2026-11-21.1',
  disclosureHash: 'h',
  version: 2,
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  itemId: `item-${consentId}`,
  ...(institution ? { institution: { id: `ins-${consentId}`, name: institution } } : {}),
  authorizedAt: '2026-03-01T10:00:00.000Z',
  expiresAt: '2026-05-30T10:00:00.000Z',
});

describe('linkedPage', () => {
  it('carries the record of the consent just given as a download, in the page itself', () => {
    const given = consent('c-active-1', 'active', 'First Platypus Bank');
    const record = consentRecord(given, [], { principalId: 'principal-1', controller: { name: RECIPIENT }, countries: ['US'] }, new Date('2026-03-01T10:05:00.000Z'));

    const link = tags(linkedPage(given, [{ name: 'Plaid Checking', mask: '0000' }], record), 'a').find((tag) => attr(tag, 'download'));
    const href = (attr(link ?? '', 'href') ?? '').replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

    expect(attr(link ?? '', 'download')).toBe('consent-record-2026-03-01-c-active.json');
    expect(JSON.parse(Buffer.from(href.replace(/^data:application\/json;base64,/, ''), 'base64').toString('utf8'))).toEqual(record);
  });
});

describe('managePage', () => {
  const all = [
    consent('c-active-1', 'active', 'First Platypus Bank'),
    consent('c-pending', 'pending', 'Pending Bank'),
    consent('c-active-2', 'active', 'Tartan Bank'),
    consent('c-revoked', 'revoked', 'Revoked Bank'),
    consent('c-expired', 'expired', 'Expired Bank'),
  ];

  it('lists only the active consents', () => {
    const page = managePage({ token: TOKEN, consents: all });

    expect(['First Platypus Bank', 'Tartan Bank', 'Pending Bank', 'Revoked Bank', 'Expired Bank'].map((name) => page.includes(name))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('has one scope form, one record form and one revoke form per active consent, carrying its id and the token', () => {
    const revokeForms = forms(managePage({ token: TOKEN, consents: all }));

    const fields = revokeForms.map((form) => [
      tags(form, 'form').map((tag) => [attr(tag, 'method'), attr(tag, 'action')])[0],
      Object.fromEntries(tags(form, 'input').filter((tag) => attr(tag, 'type') === 'hidden').map((tag) => [attr(tag, 'name'), attr(tag, 'value')])),
    ]);
    expect(fields).toEqual([
      [['post', '/consent/scopes'], { t: TOKEN, consent: 'c-active-1' }],
      [['post', '/consent/record'], { t: TOKEN, consent: 'c-active-1' }],
      [['post', '/consent/revoke'], { t: TOKEN, consent: 'c-active-1' }],
      [['post', '/consent/scopes'], { t: TOKEN, consent: 'c-active-2' }],
      [['post', '/consent/record'], { t: TOKEN, consent: 'c-active-2' }],
      [['post', '/consent/revoke'], { t: TOKEN, consent: 'c-active-2' }],
    ]);
  });

  it('pre-ticks exactly the scopes a consent already grants on its scope form', () => {
    const [scopeForm] = forms(managePage({ token: TOKEN, consents: [all.find((c) => c.status === 'active')!] }));
    const checked = tags(scopeForm!, 'input')
      .filter((tag) => attr(tag, 'type') === 'checkbox' && / checked/.test(tag))
      .map((tag) => attr(tag, 'value'));

    expect(checked).toEqual(all.find((c) => c.status === 'active')!.scopes);
  });

  it('says nothing is shared when no consent is active', () => {
    const page = managePage({ token: TOKEN, consents: [consent('c-revoked', 'revoked', 'Revoked Bank')] });

    expect([page.includes('You are not sharing any bank data.'), forms(page).length]).toEqual([true, 0]);
  });

  it('escapes a hostile institution name', () => {
    const page = managePage({ token: TOKEN, consents: [consent('c-1', 'active', HOSTILE)] });

    expect([page.includes('<img'), page.includes(HOSTILE_ESCAPED)]).toEqual([false, true]);
  });

  it('contains no script', () => {
    expect(managePage({ token: TOKEN, consents: all })).not.toMatch(/<script/i);
  });
});
