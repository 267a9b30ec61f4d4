import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLinkToken } from '../../../lib/consent/link-token';
import { createPresenter, type Presenter } from '../../../lib/consent/private-answers';
import { showPrivateAnswer } from '../../../lib/consent/private-answer-page';
import type { OutboundMessage } from '../../../lib/messenger/send-api';
import type { Store } from '../../../lib/store';
import { createTestTables, type TestTables } from '../../support/dynamodb';
import { request } from './page-fakes';

/**
 * Private mode's presenter against DynamoDB Local: in Messenger mode (or with no choice on record)
 * the answer goes as composed; in private mode the chat gets a line saying it is ready and a
 * button to a page of ours, and nothing of the answer: the page opens it, once.
 */
const NOW = new Date('2026-11-21T10:00:00.000Z');
const PSID = 'p-presenter';
const PUBLIC = 'https://assistant.test';
const SECRET = 'presenter-link-secret';

/** A balance answer as the chat composes it, with its follow-up questions. */
const BALANCE: OutboundMessage = {
  text: 'Everyday Checking ••0000: $2,450.31\nRewards Credit Card ••3333: $1,120.44 owed\nas of Nov 20, 9:14 AM ET',
  quick_replies: [
    { content_type: 'text', title: 'Spending this month', payload: 'SPENDING_THIS_MONTH' },
    { content_type: 'text', title: 'Recent transactions', payload: 'RECENT_TRANSACTIONS' },
  ],
};
const FIGURES = ['Everyday Checking', '0000', '2,450.31', 'Rewards Credit Card', '3333', '1,120.44', 'Nov 20', '9:14'];

let tables: TestTables;
let store: Store;
let presenter: Presenter;

beforeEach(async () => {
  tables = await createTestTables();
  store = tables.store(() => NOW);
  presenter = createPresenter({ store, answers: store.financialReads, settings: async () => ({ publicBaseUrl: PUBLIC, linkSecret: SECRET }), clock: () => NOW });
});

afterEach(async () => {
  await tables.dispose();
});

const pageDeps = (clock = () => NOW) => ({ store, answers: store.financialReads, settings: async () => ({ linkSecret: SECRET }), clock });
const keptAnswers = async () => (await tables.items()).filter((item) => item.type === 'private-answer');
const buttonsOf = (message: OutboundMessage) => ('attachment' in message && message.attachment.type === 'template' ? message.attachment.payload.buttons : []);
const textOf = (message: OutboundMessage) => ('text' in message ? message.text : message.attachment.type === 'template' ? message.attachment.payload.text : '');
const linkOf = (message: OutboundMessage) => {
  const [button] = buttonsOf(message);
  return button && 'url' in button ? button.url : '';
};

describe('presenting an answer', () => {
  it('sends the answer as composed, and keeps nothing, for a person who chose Messenger', async () => {
    await store.putPresentation(PSID, 'messenger');

    const shown = await presenter.present(PSID, BALANCE, { kind: 'balances', lang: 'en' });

    expect(shown).toBe(BALANCE);
    expect(await keptAnswers()).toEqual([]);
  });

  it('sends the answer as composed to a person with no choice on record (linked before the choice existed)', async () => {
    expect(await presenter.presentation(PSID)).toBe('messenger');
    expect(await presenter.present(PSID, BALANCE, { kind: 'balances', lang: 'en' })).toBe(BALANCE);
  });

  it('sends, in private mode, only the ready line and a button to the page, with the quick replies kept', async () => {
    await store.putPresentation(PSID, 'private');

    const shown = await presenter.present(PSID, BALANCE, { kind: 'balances', lang: 'en' });

    expect(textOf(shown)).toBe('Your balances are ready.');
    expect(buttonsOf(shown)).toEqual([{ type: 'web_url', title: 'Open privately', url: expect.stringMatching(/^https:\/\/assistant\.test\/private\/answer\?t=v1\./), webview_height_ratio: 'tall' }]);
    expect(shown.quick_replies).toEqual(BALANCE.quick_replies);
  });

  it('puts none of the answer’s figures, names, masks or dates anywhere in what the chat is sent', async () => {
    await store.putPresentation(PSID, 'private');

    const shown = JSON.stringify(await presenter.present(PSID, BALANCE, { kind: 'balances', lang: 'en' }));

    expect(FIGURES.filter((figure) => shown.includes(figure))).toEqual([]);
    // The same check finds every one of them in the answer itself.
    expect(FIGURES.filter((figure) => JSON.stringify(BALANCE).includes(figure))).toEqual(FIGURES);
  });

  it('binds the page link to the person and the kept answer, for ten minutes', async () => {
    await store.putPresentation(PSID, 'private');

    const shown = await presenter.present(PSID, BALANCE, { kind: 'balances', lang: 'en' });

    const claims = readLinkToken(new URL(linkOf(shown)).searchParams.get('t') ?? undefined, 'answer', SECRET, NOW);
    const kept = await keptAnswers();
    expect(claims).toMatchObject({ purpose: 'answer', psid: PSID, ref: expect.any(String), exp: NOW.getTime() / 1000 + 600 });
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ pk: `USER#${PSID}`, sk: `PRIVATE#${claims.ref}`, content: { kind: 'balances', lang: 'en', lines: BALANCE.text.split('\n') }, expiresAt: claims.exp });
  });

  it('opens the answer on its page once: the figures the first time, nothing the second', async () => {
    await store.putPresentation(PSID, 'private');
    const shown = await presenter.present(PSID, BALANCE, { kind: 'balances', lang: 'en' });
    const t = new URL(linkOf(shown)).searchParams.get('t')!;

    const first = await showPrivateAnswer(request({ query: { t } }), pageDeps());
    const second = await showPrivateAnswer(request({ query: { t } }), pageDeps());

    expect(first).toMatchObject({ kind: 'page' });
    expect(first.kind === 'page' && first.status).toBeFalsy();
    const body = first.kind === 'page' ? first.body : '';
    expect(body).toContain('<h1>Your balances</h1>');
    expect(body).toContain('Everyday Checking ••0000: $2,450.31');
    expect(second).toMatchObject({ kind: 'page', status: 410 });
    expect(await keptAnswers()).toEqual([]);
  });

  it('writes the ready line and the button in the person’s language', async () => {
    await store.putPresentation(PSID, 'private');

    const shown = await presenter.present(PSID, { text: 'Gastaste $312.40 en supermercado este mes' }, { kind: 'spending', lang: 'es' });

    expect(textOf(shown)).toBe('Tus gastos están listos.');
    expect(buttonsOf(shown)).toMatchObject([{ title: 'Ver en privado' }]);
  });

  it('keeps an alert’s id with the answer, for the page to answer it', async () => {
    const alert: OutboundMessage = {
      text: '⚠️ $912.40 at ELECTRO-WORLD · Everyday Checking · Nov 21, 6:55 AM ET\nWhy: first payment at this merchant in 90 days\nWas this you?',
      quick_replies: [
        { content_type: 'text', title: 'Yes, it was me', payload: 'FRAUD_YES:a-1' },
        { content_type: 'text', title: 'No, it wasn’t me', payload: 'FRAUD_NO:a-1' },
      ],
    };

    // The caller read the mode already: privately() does not ask again.
    const shown = await presenter.privately(PSID, alert, { kind: 'alert-fraud', lang: 'en', alertId: 'a-1' });

    expect(textOf(shown)).toBe('A card payment needs your review.');
    expect(shown.quick_replies).toEqual(alert.quick_replies);
    expect(JSON.stringify(shown)).not.toMatch(/912|ELECTRO|Everyday|Nov 21/);
    expect((await keptAnswers())[0]?.content).toMatchObject({ kind: 'alert-fraud', alertId: 'a-1' });
  });
});
