import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphStub } from '../../dev/graph-stub';
import type { LocalSqs } from '../../dev/local-sqs';
import type { Person } from '../../dev/messenger-payloads';
import { PEOPLE } from '../../dev/sandbox-bank/data';
import type { SandboxBank } from '../../dev/sandbox-bank/server';
import type { AccountBase } from '../../dev/sandbox-bank/types';
import { linkedPerson } from '../support/banking';
import { askChat, startChat, type Chat } from '../support/chat';
import type { TestTables } from '../support/dynamodb';
import { loadHandler, type QueueHandler } from '../support/functions';
import { sandboxLinking } from '../support/linking';
import { servicesEnv, startServices, tearDown } from '../support/services';
import { runSync } from '../support/sync-queue';

/**
 * Every money figure of every balance answer, for every test person the sandbox bank defines,
 * against the bank's own records. Each person links, the real sync worker takes their accounts
 * through the Plaid adapter into the store, and the person asks in English and in Spanish. Each
 * account's line is read back into labelled figures (owed, available, limit, current, a lone
 * balance) and compared with the balances the bank holds for the account: a figure the reply
 * works out for itself, where the bank has its own, shows up as a difference here.
 */
let tables: TestTables;
let graph: GraphStub;
let bank: SandboxBank;
let sqs: LocalSqs;
let linking: ReturnType<typeof sandboxLinking>;
let webhook: Chat['webhook'];
let worker: QueueHandler;
let stream: Chat['stream'];
const page = '100000000000003';

beforeAll(async () => {
  const services = await startServices('s');
  ({ tables, graph, bank, sqs } = services);
  linking = sandboxLinking(tables, bank);
  const env = servicesEnv(services, {
    ASSISTANT_TIME_ZONE: 'UTC',
    // The parser below reads figures as these two locales write them.
    ASSISTANT_LOCALE_EN: 'en-US',
    ASSISTANT_LOCALE_ES: 'es-US',
  });
  worker = await loadHandler<QueueHandler>(() => import('../../functions/sync-worker'), env);
  ({ webhook, stream } = await startChat(tables, env));
}, 180_000);

afterAll(() => tearDown([stream], { tables, graph, bank, sqs }));

/** One sync of a connection, as the sync queue would deliver it to the worker. */
const sync = (who: Person, itemId: string) => runSync(worker, sqs, `sync-${randomUUID()}`, { psid: who.psid, itemId, reason: 'new-consent' });

async function link(username: string): Promise<{ who: Person; itemId: string }> {
  const linked = await linkedPerson(linking, { username, scopes: ['balances', 'transactions', 'alerts'] });
  const who = { psid: linked.psid, pageId: page };
  expect((await sync(who, linked.itemId)).batchItemFailures).toEqual([]);
  await stream.drain();
  return { who, itemId: linked.itemId };
}

/** The balance answer to a question. */
async function askBalance(who: Person, text: string): Promise<string> {
  const sent = await askChat({ graph, webhook, stream }, who, text);
  // An alert the first sync raised (a large pending purchase) may reach the chat alongside.
  const answers = sent
    .map((body) => (body as { message?: { text?: string } }).message?.text)
    .filter((t) => t !== undefined && /^(Your balances?|Tus? saldos?),/.test(t));
  expect(answers).toHaveLength(1);
  return answers[0]!;
}

// ── reading a reply back into figures ────────────────────────────────────────────────────────────

type Role = 'owed' | 'available' | 'limit' | 'current' | 'balance';
interface Figures {
  figures: Partial<Record<Role, number>>;
  /** The reply said its available figure is its own estimate, not the bank's. */
  estimated: boolean;
}

const MONEY = /-?\$[\d,]+\.\d{2}/g;
const amountOf = (token: string) => Number(token.replace(/[$,]/g, ''));

/**
 * What each money figure in an account's line stands for, from the words around it. Every figure
 * must be recognised: one the reader cannot place fails the test instead of being skipped.
 */
const ROLES: Record<'en' | 'es', { role: Role; before?: RegExp; after?: RegExp }[]> = {
  en: [
    { role: 'owed', after: /^ owed\b/ },
    { role: 'available', after: /^ available\b/ },
    { role: 'current', after: /^ current\b/ },
    { role: 'limit', before: /\bof $/ },
  ],
  es: [
    { role: 'owed', before: /\bdebes $/ },
    { role: 'available', after: /^ disponibles?\b/ },
    { role: 'current', after: /^ actual\b/ },
    { role: 'limit', before: /\bde $/ },
  ],
};

function readFigures(rest: string, lang: 'en' | 'es'): Figures {
  const tokens = [...rest.matchAll(MONEY)];
  const figures: Figures['figures'] = {};
  for (const token of tokens) {
    const before = rest.slice(0, token.index);
    const after = rest.slice(token.index + token[0].length);
    const role = tokens.length === 1 && rest.trim() === token[0] ? 'balance' : ROLES[lang].find((r) => (r.before ? r.before.test(before) : r.after!.test(after)))?.role;
    expect(role, `what "${token[0]}" stands for in "${rest}"`).toBeDefined();
    expect(figures[role!], `"${rest}" gives its ${role} twice`).toBeUndefined();
    figures[role!] = amountOf(token[0]);
  }
  const estimated = lang === 'en' ? /\babout\b|\bestimated\b/.test(rest) : /\bunos\b|\bestimado\b/.test(rest);
  return { figures, estimated };
}

/** The account lines of a balance answer, by account label ("Everyday Checking ••0000"). */
function accountLines(reply: string): Map<string, string> {
  const lines = new Map<string, string>();
  for (const line of reply.split('\n').filter((l) => l.startsWith('• '))) {
    const at = line.indexOf(': ');
    lines.set(line.slice(2, at), line.slice(at + 2));
  }
  return lines;
}

/**
 * The figures the bank's records call for: for a card, what is owed, the available credit and
 * the limit, each as the bank holds it; for a bank account, available and current when a pending
 * amount sets them apart, otherwise the one balance. Null is a figure the bank does not report.
 */
function figuresAtBank(account: AccountBase): Figures['figures'] {
  const { available, current, limit } = account.balances;
  const reported = (entries: [Role, number | null][]) => Object.fromEntries(entries.filter(([, v]) => v !== null)) as Figures['figures'];
  if (account.type === 'credit') return reported([['owed', current], ['available', available], ['limit', limit]]);
  if (available !== null && available !== current) return reported([['available', available], ['current', current]]);
  return reported([['balance', current ?? available]]);
}

const label = (account: AccountBase) => `${account.name}${account.mask ? ` ••${account.mask}` : ''}`;

// ── the comparison ───────────────────────────────────────────────────────────────────────────────

const questions = { en: "what's my balance?", es: '¿cuál es mi saldo?' } as const;

describe('balance answers, figure by figure, against the sandbox bank’s records', () => {
  it('covers a card whose pending charges put the bank’s available credit below limit minus owed', () => {
    // Without such a card the comparison below could not tell the bank's figure from a computed one.
    const cardsWithPending = PEOPLE.flatMap((p) =>
      p.patterns.filter((pattern) => pattern.kind === 'once' && pattern.pending && pattern.amount > 0 && p.accounts.find((a) => a.key === pattern.account)?.type === 'credit'),
    );
    expect(cardsWithPending.length).toBeGreaterThan(0);
  });

  it.each(PEOPLE.map((p) => p.username))('gives %s every figure as the bank holds it, in English and in Spanish', async (username) => {
    const { who, itemId } = await link(username);
    const accounts = bank.controls.getItem(itemId).accounts;
    for (const lang of ['en', 'es'] as const) {
      const lines = accountLines(await askBalance(who, questions[lang]));
      expect([...lines.keys()].sort(), lang).toEqual(accounts.map(label).sort());
      for (const account of accounts) {
        const shown = readFigures(lines.get(label(account))!, lang);
        expect(shown, `${username} ${label(account)} (${lang})`).toEqual({ figures: figuresAtBank(account), estimated: false });
      }
    }
  }, 60_000);

  it('says a card’s available credit is its own estimate from the limit when the bank reports none, in English and in Spanish', async () => {
    const { who, itemId } = await link('user_good');
    const card = bank.controls.getItem(itemId).accounts.find((a) => a.type === 'credit')!;
    bank.controls.setBalance(itemId, card.account_id, { available: null });
    expect((await sync(who, itemId)).batchItemFailures).toEqual([]);
    const { available, current, limit } = bank.controls.getItem(itemId).accounts.find((a) => a.account_id === card.account_id)!.balances;
    expect(available).toBeNull();
    for (const lang of ['en', 'es'] as const) {
      const shown = readFigures(accountLines(await askBalance(who, questions[lang])).get(label(card))!, lang);
      // The one figure the bank did not give: the limit less what is owed, and labelled as such.
      expect(shown, lang).toEqual({ figures: { owed: current, available: Math.round((limit! - current!) * 100) / 100, limit }, estimated: true });
    }
  }, 60_000);
});
