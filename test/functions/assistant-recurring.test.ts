import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphStub } from '../../dev/graph-stub';
import type { LocalSqs } from '../../dev/local-sqs';
import type { Person } from '../../dev/messenger-payloads';
import type { SandboxBank } from '../../dev/sandbox-bank/server';
import type { RecurringStream } from '../../lib/banking/bank-connector';
import { linkedPerson } from '../support/banking';
import { askChat, startChat, type Chat } from '../support/chat';
import type { TestTables } from '../support/dynamodb';
import { loadHandler, type QueueHandler } from '../support/functions';
import { sandboxLinking } from '../support/linking';
import { servicesEnv, startServices, tearDown } from '../support/services';
import { runSync } from '../support/sync-queue';

/**
 * Recurring payments in a conversation with the sandbox bank's user_subscriptions (paid on the 1st
 * and 15th; Netflix went up, Disney+ began after a free trial, a weekly transit pass; rent due in 4
 * days with less than it in checking), through the real handlers: the syncWorker fetches the
 * accounts, transactions and recurring streams with the Plaid adapter, then a signed webhook
 * message is answered with a Send API request, checked whole against the bank's own streams.
 */
let tables: TestTables;
let graph: GraphStub;
let bank: SandboxBank;
let sqs: LocalSqs;
let webhook: Chat['webhook'];
let stream: Chat['stream'];
let who: Person;
let itemId: string;
/** The bank's own streams for the person, as /transactions/recurring/get gives them. */
let atBank: RecurringStream[];
const page = '100000000000004';

const usd = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n);
const usdEs = (n: number) => new Intl.NumberFormat('es-US', { style: 'currency', currency: 'USD' }).format(n);
const day = (iso: string, locale: string) => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'short', day: 'numeric' }).format(new Date(`${iso}T00:00:00Z`));
const today = () => new Date().toISOString().slice(0, 10);
const streamOf = (merchant: string) => {
  const found = atBank.find((s) => s.merchantName === merchant && s.isActive);
  expect(found, `the bank's ${merchant} stream`).toBeDefined();
  return found!;
};

/** The Send API requests that carried a message (not the typing indicator) for one question. */
async function ask(text: string): Promise<unknown[]> {
  const sent = await askChat({ graph, webhook, stream }, who, text);
  return sent.filter((body) => (body as { message?: unknown }).message !== undefined);
}

beforeAll(async () => {
  const services = await startServices('r');
  ({ tables, graph, bank, sqs } = services);
  const linking = sandboxLinking(tables, bank);
  const linked = await linkedPerson(linking, { username: 'user_subscriptions', scopes: ['balances', 'transactions'] });
  who = { psid: linked.psid, pageId: page };
  itemId = linked.itemId;
  const { inflows, outflows } = await linking.connector.recurringStreams(linked.accessToken);
  atBank = [...inflows, ...outflows];
  const env = servicesEnv(services, { ASSISTANT_TIME_ZONE: 'UTC' });
  const worker = await loadHandler<QueueHandler>(() => import('../../functions/sync-worker'), env);
  const synced = await runSync(worker, sqs, 'sync-new-consent', { psid: who.psid, itemId, reason: 'new-consent' });
  expect(synced.batchItemFailures).toEqual([]);
  ({ webhook, stream } = await startChat(tables, env));
}, 180_000);

afterAll(() => tearDown([stream], { tables, graph, bank, sqs }));

describe('recurring payments in a conversation about the sandbox bank’s data', () => {
  it('answers "what subscriptions do I have?" with each at its latest price, its next date and the month’s total', async () => {
    const transit = streamOf('CapMetro');
    const netflix = streamOf('Netflix');
    const disney = streamOf('Disney+');
    const spotify = streamOf('Spotify');
    // The price rise is the bank's last charge, and the weekly pass comes to 52/12 of a week a month.
    expect([netflix.lastAmount, disney.lastAmount, spotify.lastAmount, transit.lastAmount, transit.frequency]).toEqual([17.99, 13.99, 11.99, 11.25, 'weekly']);

    const sent = await ask('what subscriptions do I have?');

    expect(sent).toEqual([
      {
        recipient: { id: who.psid },
        messaging_type: 'RESPONSE',
        message: {
          text: [
            'You have 4 subscriptions, about $92.72 a month in all:',
            `• CapMetro: $11.25 a week (about $48.75 a month), next ${day(transit.predictedNextDate!, 'en-US')}`,
            `• Netflix: $17.99 a month, next ${day(netflix.predictedNextDate!, 'en-US')}`,
            `• Disney+: $13.99 a month, next ${day(disney.predictedNextDate!, 'en-US')}`,
            `• Spotify: $11.99 a month, next ${day(spotify.predictedNextDate!, 'en-US')}`,
          ].join('\n'),
          quick_replies: [
            { content_type: 'text', title: 'Upcoming bills', payload: 'UPCOMING_BILLS' },
            { content_type: 'text', title: 'Balance', payload: 'BALANCE' },
            { content_type: 'text', title: 'Spending this month', payload: 'SPENDING_THIS_MONTH' },
            { content_type: 'text', title: 'Recent transactions', payload: 'RECENT_TRANSACTIONS' },
            { content_type: 'text', title: 'Alert settings', payload: 'ALERT_SETTINGS' },
          ],
        },
      },
    ]);
  });

  it('answers "¿cuándo vence la renta?" with its date, its amount and the checking account that holds less', async () => {
    const rent = streamOf('Oakwood Apartments');
    const checking = bank.controls.getItem(itemId).accounts.find((a) => a.mask === '2468')!;
    const held = checking.balances.available ?? checking.balances.current!;
    expect(rent.predictedNextDate).toBe(new Date(Date.parse(`${today()}T00:00:00Z`) + 4 * 86_400_000).toISOString().slice(0, 10));
    expect(held).toBeLessThan(rent.lastAmount);

    const sent = await ask('¿cuándo vence la renta?');

    expect(sent).toEqual([
      {
        recipient: { id: who.psid },
        messaging_type: 'RESPONSE',
        message: {
          text: `Oakwood Apartments: ${usdEs(1450)}, vence el ${day(rent.predictedNextDate!, 'es-US')} (en 4 días).\n  Everyday Checking ••2468 tiene ${usdEs(held)}, menos que esto.`,
          quick_replies: [
            { content_type: 'text', title: 'Mis suscripciones', payload: 'SUBSCRIPTIONS' },
            { content_type: 'text', title: 'Saldo', payload: 'BALANCE' },
            { content_type: 'text', title: 'Gastos del mes', payload: 'SPENDING_THIS_MONTH' },
            { content_type: 'text', title: 'Movimientos', payload: 'RECENT_TRANSACTIONS' },
            { content_type: 'text', title: 'Mis alertas', payload: 'ALERT_SETTINGS' },
          ],
        },
      },
    ]);
  });

  it('answers "did my paycheck come in?" with the last pay the bank shows and the next', async () => {
    const pay = atBank.find((s) => s.direction === 'inflow' && s.category?.primary === 'INCOME')!;
    const next = pay.predictedNextDate!;
    const inDays = Math.round((Date.parse(`${next}T00:00:00Z`) - Date.parse(`${today()}T00:00:00Z`)) / 86_400_000);

    const [reply] = (await ask('did my paycheck come in?')) as { message: { text: string } }[];

    expect(reply?.message.text).toBe(
      `Your last pay, ${usd(-pay.lastAmount)} from ACME CORP PAYROLL, came in on ${day(pay.lastDate, 'en-US')}.\n` +
        `The next is expected on ${day(next, 'en-US')} (${inDays === 0 ? 'today' : inDays === 1 ? 'tomorrow' : `in ${inDays} days`}).`,
    );
  });
});
