import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphStub } from '../../dev/graph-stub';
import type { LocalSqs } from '../../dev/local-sqs';
import type { Person } from '../../dev/messenger-payloads';
import type { SandboxBank } from '../../dev/sandbox-bank/server';
import { linkedPerson } from '../support/banking';
import { askChat, startChat, type Chat } from '../support/chat';
import type { TestTables } from '../support/dynamodb';
import { loadHandler, type QueueHandler } from '../support/functions';
import { sandboxLinking } from '../support/linking';
import { servicesEnv, startServices, tearDown } from '../support/services';
import { runSync } from '../support/sync-queue';

/**
 * A conversation with a person linked at the sandbox bank, through the real handlers: the
 * syncWorker fetches their accounts and 90 days of transactions with the Plaid adapter, then each
 * answer is checked against the sandbox bank's own records, worked out here from its control API.
 */
let tables: TestTables;
let graph: GraphStub;
let bank: SandboxBank;
let sqs: LocalSqs;
let webhook: Chat['webhook'];
let worker: QueueHandler;
let stream: Chat['stream'];
let who: Person;
let itemId: string;
const page = '100000000000003';

const usd = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n);
const usdEs = (n: number) => new Intl.NumberFormat('es-US', { style: 'currency', currency: 'USD' }).format(n);
const today = new Date().toISOString().slice(0, 10);
const monthStart = (offset: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1)).toISOString().slice(0, 10);
};
const lastMonth = { from: monthStart(-1), to: new Date(Date.parse(`${monthStart(0)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10) };

async function ask(text: string): Promise<string[]> {
  const sent = await askChat({ graph, webhook, stream }, who, text);
  return sent
    .map((body) => (body as { message?: { text?: string; attachment?: { payload: { text: string } } } }).message)
    .filter((m) => m !== undefined)
    .map((m) => m.text ?? m.attachment?.payload.text ?? '');
}

const atBank = () => bank.controls.listTransactions(itemId);

beforeAll(async () => {
  const services = await startServices('s');
  ({ tables, graph, bank, sqs } = services);
  const linked = await linkedPerson(sandboxLinking(tables, bank), { scopes: ['balances', 'transactions', 'alerts'] });
  who = { psid: linked.psid, pageId: page };
  itemId = linked.itemId;
  const env = servicesEnv(services, { ASSISTANT_TIME_ZONE: 'UTC' });
  worker = await loadHandler<QueueHandler>(() => import('../../functions/sync-worker'), env);
  const synced = await sync('new-consent');
  expect(synced.batchItemFailures).toEqual([]);
  ({ webhook, stream } = await startChat(tables, env));
}, 180_000);

/** One sync of the person's connection, as the sync queue would deliver it to the worker. */
const sync = (reason: string) => runSync(worker, sqs, `sync-${reason}`, { psid: who.psid, itemId, reason });

afterAll(() => tearDown([stream], { tables, graph, bank, sqs }));

describe('a conversation about the sandbox bank’s data', () => {
  it('gives every account’s balance as the bank holds it', async () => {
    const [reply] = await ask("what's my balance?");
    const accounts = bank.controls.getItem(itemId).accounts;
    expect(accounts.length).toBeGreaterThan(1);
    for (const account of accounts) {
      const { available, current } = account.balances;
      const shown = account.type === 'credit' ? usd(current!) : usd(available ?? current!);
      expect(reply, account.name).toContain(`${account.name}${account.mask ? ` ••${account.mask}` : ''}: ${shown}`);
    }
  });

  it('totals last month’s groceries, in Spanish, to the cent', async () => {
    const groceries = atBank().filter((t) => t.date >= lastMonth.from && t.date <= lastMonth.to && t.amount > 0 && t.personal_finance_category?.detailed === 'FOOD_AND_DRINK_GROCERIES');
    const total = groceries.reduce((sum, t) => sum + t.amount, 0);
    const [reply] = await ask('¿cuánto gasté en el súper el mes pasado?');
    expect(reply).toContain(`Gastaste ${usdEs(Math.round(total * 100) / 100)} en supermercado el mes pasado`);
    expect(reply).toContain(`en ${groceries.length} movimiento${groceries.length === 1 ? '' : 's'}`);
  });

  it('follows up with "and in restaurants?" over the same period', async () => {
    const restaurants = atBank().filter(
      (t) => t.date >= lastMonth.from && t.date <= lastMonth.to && t.amount > 0 && ['FOOD_AND_DRINK_RESTAURANT', 'FOOD_AND_DRINK_FAST_FOOD'].includes(t.personal_finance_category?.detailed ?? ''),
    );
    const total = restaurants.reduce((sum, t) => sum + t.amount, 0);
    const [reply] = await ask('¿y en restaurantes?');
    expect(reply).toContain(`Gastaste ${usdEs(Math.round(total * 100) / 100)} en restaurantes el mes pasado`);
  });

  it('totals what was paid to a merchant the person names, in the last 30 days', async () => {
    const from = new Date(Date.parse(`${today}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
    const netflix = atBank().filter((t) => t.date >= from && t.date <= today && t.merchant_name === 'Netflix');
    const [reply] = await ask('how much did I pay Netflix in the last 30 days?');
    expect(reply).toContain(`You paid Netflix ${usd(netflix.reduce((sum, t) => sum + t.amount, 0))} in the last 30 days, in ${netflix.length} payment`);
  });

  it('lists the most recent transactions, newest first', async () => {
    const [reply] = await ask('show my last 3 transactions');
    const lines = reply!.split('\n').slice(1);
    expect(lines).toHaveLength(3);
    const newest = [...atBank()].sort((a, b) => b.date.localeCompare(a.date))[0]!;
    expect(lines[0]).toContain(new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' }).format(new Date(`${newest.date}T00:00:00Z`)));
  });

  it('finds a new large payment once a sync brought it in', async () => {
    const over = (n: number) => atBank().filter((t) => t.date === today && t.amount > n);
    expect(over(900)).toEqual([]);
    expect((await ask('anything over $900 today?'))[0]).toBe('Nothing over $900.00 today.');
    bank.controls.postTransaction(itemId, { merchant: 'electroWorld', amount: 912.4 });
    expect((await sync('webhook')).batchItemFailures).toEqual([]);
    const [reply] = await ask('anything over $900 today?');
    expect(reply).toMatch(/^1 transaction over \$900\.00 today, \$912\.40 in all:\n• .+ Electro World: \$912\.40( \(pending\))?$/);
  });
});
