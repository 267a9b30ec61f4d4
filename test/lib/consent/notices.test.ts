import { describe, expect, it } from 'vitest';
import type { Consent } from '../../../lib/consent/model/consent';
import { deliverHeldNotices, sendNotice, type AccountNotice, type HeldNoticeDeps, type NoticeDeps, type NoticeTemplates } from '../../../lib/consent/notices';
import { OutsideMessagingWindow } from '../../../lib/errors';
import type { Log } from '../../../lib/logger';
import type { OutboundMessage, SendRequest, UtilityMessage } from '../../../lib/messenger/send-api';
import type { PurgeRecord } from '../../../lib/store/purge-records';
import type { HeldNoticeRecord } from '../../../lib/store/held-notices';
import { fakeLedger } from '../../support/fake-ledger';

/**
 * The product's own notices outside the person's 24-hour window: a utility template when the
 * deployment has one, else held and delivered with their next message — composed then (a fresh
 * reconnect link), never about a consent that changed meanwhile, and once per key.
 */
const PSID = '6543210987654321';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = new Date('2026-12-31T09:00:00.000Z');
const END = '2027-01-30T12:00:00.000Z';
const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Log;

const consentOf = (overrides: Partial<Consent> = {}): Consent => ({
  consentId: 'consent-1',
  psid: PSID,
  status: 'active',
  scopes: ['balances', 'transactions'],
  durationDays: 90,
  disclosureVersion: 'v1',
  disclosureHash: 'h',
  version: 2,
  createdAt: '2026-11-01T12:00:00.000Z',
  updatedAt: '2026-11-01T12:00:00.000Z',
  itemId: 'item-1',
  institution: { id: 'ins_1', name: 'First Platypus Bank' },
  authorizedAt: '2026-11-01T12:00:00.000Z',
  expiresAt: END,
  ...overrides,
});

const reminder: AccountNotice = { kind: 'expiry-reminder', consentId: 'consent-1', expiresAt: END };
const REMINDER_KEY = `consent:consent-1:reminder-30:${END}`;
const TEMPLATES: NoticeTemplates = { renewal: { name: 'sharing_reminder', language: 'en_US' }, bank: { name: 'bank_login', language: 'en_US' }, notice: { name: 'account_notice', language: 'en_US' } };

function world(options: { lastInboundAt?: number; templates?: NoticeTemplates; consent?: Consent; purge?: PurgeRecord; syncedAt?: string; failures?: Error[] } = {}) {
  let now = START;
  let consent = options.consent ?? consentOf();
  let lastInboundAt = options.lastInboundAt;
  const failures = [...(options.failures ?? [])];
  const { store: ledger } = fakeLedger();
  const held = new Map<string, HeldNoticeRecord & { until: Date }>();
  const sent: SendRequest[] = [];
  const links: string[] = [];
  let failDrop = 0;
  const store: NoticeDeps['store'] & HeldNoticeDeps['store'] = {
    ...ledger,
    getConsent: async (psid, id) => (psid === consent.psid && id === consent.consentId ? consent : undefined),
    getPurgeRecord: async () => options.purge,
    getProfile: async () => (lastInboundAt === undefined ? undefined : { lastInboundAt }),
    async holdNotice(_psid, notice) {
      const old = held.get(notice.key);
      if (old && old.until > now) return;
      held.set(notice.key, { key: notice.key, notice: structuredClone(notice.notice), heldAt: now.toISOString(), until: notice.until });
    },
    listHeldNotices: async () => [...held.values()].filter((h) => h.until > now).sort((a, b) => a.heldAt.localeCompare(b.heldAt)),
    async dropHeldNotice(_psid, key) {
      if (failDrop > 0) {
        failDrop--;
        throw new Error('DynamoDB is down');
      }
      held.delete(key);
    },
  };
  const deps: NoticeDeps & HeldNoticeDeps = {
    store,
    messenger: {
      async send(request) {
        const failure = failures.shift();
        if (failure) throw failure;
        sent.push(request);
        return { recipientId: PSID, messageId: `m_out_${sent.length}` };
      },
    },
    language: async () => 'en',
    async reconnectLink(c) {
      const link = `https://assistant.test/link/reconnect?t=${c.consentId}-${now.toISOString()}`;
      links.push(link);
      return link;
    },
    syncedAt: async () => options.syncedAt,
    templates: options.templates ?? {},
    clock: () => now,
    log,
  };
  return {
    deps,
    sent,
    held,
    links,
    advance: (ms: number) => void (now = new Date(now.getTime() + ms)),
    /** The person writes: their window opens. */
    writes: () => void (lastInboundAt = now.getTime()),
    change: (next: Partial<Consent>) => void (consent = { ...consent, ...next }),
    failNextDrop: () => void (failDrop = 1),
    failNextSend: (error: Error) => void failures.push(error),
  };
}

const messagesOf = (sent: SendRequest[]) => sent.map((r) => ('message' in r ? r.message : undefined));
/** The words of a message sent inside the window (a utility message has none of its own). */
const textOf = (m: OutboundMessage | UtilityMessage | undefined) => (m === undefined || 'template' in m ? undefined : 'text' in m ? m.text : m.attachment.payload.text);
/** Its buttons: a postback's payload, a link's URL. */
const buttonsOf = (m: OutboundMessage | UtilityMessage | undefined) => (m && 'attachment' in m ? m.attachment.payload.buttons.map((b) => ('payload' in b ? b.payload : b.url)) : []);

describe('sending a notice outside the window', () => {
  it('sends a consent reminder as the renewal template, its Renew button a postback for this consent', async () => {
    const { deps, sent, held } = world({ templates: TEMPLATES });

    const outcome = await sendNotice(PSID, REMINDER_KEY, reminder, deps);

    expect(outcome).toBe('sent');
    expect(held.size).toBe(0);
    expect(sent).toEqual([
      {
        recipient: { id: PSID },
        messaging_type: 'UTILITY',
        message: {
          template: {
            name: 'sharing_reminder',
            language: { code: 'en_US' },
            components: [
              { type: 'body', parameters: [{ type: 'text', text: expect.stringMatching(/^Your sharing of First Platypus Bank \(balances, transactions\) ends on 30 Jan 2027\./) }] },
              { type: 'buttons', parameters: [{ type: 'POSTBACK', payload: 'RENEW:consent-1' }, { type: 'POSTBACK', payload: 'KEEP_SHARING' }] },
            ],
          },
        },
      },
    ]);
  });

  it('sends the bank’s “log in again” as the bank template with a postback, never a link that would expire', async () => {
    const { deps, sent } = world({ templates: TEMPLATES });

    await sendNotice(PSID, 'bank-login:consent-1:2026-12-31', { kind: 'bank-login', consentId: 'consent-1' }, deps);

    const message = sent[0] && 'message' in sent[0] ? (sent[0].message as UtilityMessage) : undefined;
    expect(message?.template.components[1]).toEqual({ type: 'buttons', parameters: [{ type: 'POSTBACK', payload: 'RECONNECT:consent-1' }, { type: 'POSTBACK', payload: 'STOP_SHARING' }] });
    expect(JSON.stringify(sent)).not.toContain('https://');
  });

  it('sends what was deleted as the plain notice template, with no buttons', async () => {
    const { deps, sent } = world({ templates: TEMPLATES, consent: consentOf({ status: 'revoked', endedBy: 'person', endedAt: START.toISOString() }), purge: { accounts: 2, transactions: 40, connections: 1, removedAtBank: true, at: START.toISOString() } });

    await sendNotice(PSID, 'consent:consent-1:deleted', { kind: 'data-deleted', consentId: 'consent-1' }, deps);

    const message = sent[0] && 'message' in sent[0] ? (sent[0].message as UtilityMessage) : undefined;
    expect(message?.template.name).toBe('account_notice');
    expect(message?.template.components).toEqual([{ type: 'body', parameters: [{ type: 'text', text: expect.stringMatching(/^You stopped sharing First Platypus Bank\. I disconnected it at the bank and deleted 2 accounts/) }] }]);
  });

  it('holds a reminder when no template fits, describing it (not its text), until the consent’s end', async () => {
    const { deps, sent, held } = world({ templates: { bank: TEMPLATES.bank } });

    const outcome = await sendNotice(PSID, REMINDER_KEY, reminder, deps);

    expect({ outcome, sent, held: [...held.values()] }).toEqual({
      outcome: 'held',
      sent: [],
      held: [{ key: REMINDER_KEY, notice: reminder, heldAt: START.toISOString(), until: new Date(END) }],
    });
  });

  it('holds a notice the Send API refused as outside the window', async () => {
    const { deps, sent, held } = world({ lastInboundAt: START.getTime() - HOUR, failures: [new OutsideMessagingWindow('Outside of allowed window', 10, 2018278)] });

    const outcome = await sendNotice(PSID, REMINDER_KEY, reminder, deps);

    expect({ outcome, sent: sent.length, held: [...held.keys()] }).toEqual({ outcome: 'held', sent: 0, held: [REMINDER_KEY] });
  });
});

describe('delivering held notices with the person’s next message', () => {
  it('sends the held reminder with its Renew button, once, and drops it from the hold', async () => {
    const { deps, sent, held, advance, writes } = world();
    await sendNotice(PSID, REMINDER_KEY, reminder, deps);
    advance(3 * DAY);
    writes();

    const delivered = await deliverHeldNotices(PSID, deps);
    const replayed = await deliverHeldNotices(PSID, deps);

    expect({ delivered, replayed, held: held.size }).toEqual({ delivered: 1, replayed: 0, held: 0 });
    expect(sent.map((r) => ('messaging_type' in r ? r.messaging_type : ''))).toEqual(['UPDATE']);
    expect(buttonsOf(messagesOf(sent)[0])).toEqual(['RENEW:consent-1', 'KEEP_SHARING']);
  });

  it('sends it once even when the hold outlives its delivery (a failure after the send) and is read again', async () => {
    const { deps, sent, held, writes, failNextDrop } = world();
    await sendNotice(PSID, REMINDER_KEY, reminder, deps);
    writes();
    failNextDrop();
    await expect(deliverHeldNotices(PSID, deps)).rejects.toThrow('DynamoDB is down');

    const retried = await deliverHeldNotices(PSID, deps);

    expect({ retried, sent: sent.length, held: held.size }).toEqual({ retried: 0, sent: 1, held: 0 });
  });

  it('does not send again a held notice that another path sent meanwhile (the sweep, once the window opened)', async () => {
    const { deps, sent, held, writes } = world();
    await sendNotice(PSID, REMINDER_KEY, reminder, deps);
    writes();
    await sendNotice(PSID, REMINDER_KEY, reminder, deps);

    const delivered = await deliverHeldNotices(PSID, deps);

    expect({ delivered, sent: sent.length, held: held.size }).toEqual({ delivered: 0, sent: 1, held: 0 });
  });

  it('composes the bank’s warning when it is delivered, with a reconnect link made then', async () => {
    const { deps, sent, links, advance, writes } = world();
    await sendNotice(PSID, 'bank-pending-disconnect:consent-1:2026-12-31', { kind: 'bank-warning', consentId: 'consent-1', cause: 'other', at: '2027-01-07T00:00:00.000Z' }, deps);
    advance(3 * DAY);
    writes();

    await deliverHeldNotices(PSID, deps);

    const fresh = `https://assistant.test/link/reconnect?t=consent-1-${new Date(START.getTime() + 3 * DAY).toISOString()}`;
    expect(links).toEqual([fresh]);
    expect(buttonsOf(messagesOf(sent)[0])).toEqual([fresh, 'STOP_SHARING']);
    expect(textOf(messagesOf(sent)[0])).toMatch(/^First Platypus Bank will stop sharing with me on 7 Jan 2027\./);
  });

  it.each([
    ['renewed', { expiresAt: '2027-03-31T09:00:00.000Z', authorizedAt: '2026-12-31T09:00:00.000Z' }],
    ['revoked', { status: 'revoked' as const, endedAt: '2027-01-01T09:00:00.000Z', endedBy: 'person' as const }],
    ['expired', { status: 'expired' as const, endedAt: '2027-01-30T12:00:00.000Z' }],
  ])('drops, unsent, a held reminder for a consent %s meanwhile', async (_how, change) => {
    const w = world();
    await sendNotice(PSID, REMINDER_KEY, reminder, w.deps);
    w.advance(DAY);
    w.change(change);
    w.writes();

    const delivered = await deliverHeldNotices(PSID, w.deps);

    expect({ delivered, sent: w.sent, held: w.held.size }).toEqual({ delivered: 0, sent: [], held: 0 });
  });

  it('drops a held “log in again” once the connection has synced since (the person logged in)', async () => {
    const w = world({ syncedAt: new Date(START.getTime() + 2 * HOUR).toISOString() });
    await sendNotice(PSID, 'bank-login:consent-1:2026-12-31', { kind: 'bank-login', consentId: 'consent-1' }, w.deps);
    w.advance(DAY);
    w.writes();

    await deliverHeldNotices(PSID, w.deps);

    expect({ sent: w.sent, links: w.links, held: w.held.size }).toEqual({ sent: [], links: [], held: 0 });
  });

  it('sends only the newest of notices about the same thing: the 7-day reminder, not also the 30-day one', async () => {
    const w = world();
    await sendNotice(PSID, REMINDER_KEY, reminder, w.deps);
    w.advance(23 * DAY);
    await sendNotice(PSID, `consent:consent-1:reminder:${END}`, reminder, w.deps);
    w.writes();

    const delivered = await deliverHeldNotices(PSID, w.deps);

    expect({ delivered, sent: w.sent.length, held: w.held.size }).toEqual({ delivered: 1, sent: 1, held: 0 });
  });

  it('sends held notices oldest first', async () => {
    const w = world({ consent: consentOf({ expiresAt: END }) });
    await sendNotice(PSID, 'bank-login:consent-1:2026-12-31', { kind: 'bank-login', consentId: 'consent-1' }, w.deps);
    w.advance(HOUR);
    await sendNotice(PSID, REMINDER_KEY, reminder, w.deps);
    w.writes();

    await deliverHeldNotices(PSID, w.deps);

    expect(messagesOf(w.sent).map((m) => textOf(m)?.slice(0, 30))).toEqual(['First Platypus Bank asks you t', 'Your sharing of First Platypus']);
  });

  it('keeps a notice held when the Send API says the window closed again', async () => {
    const w = world();
    await sendNotice(PSID, REMINDER_KEY, reminder, w.deps);
    w.writes();
    w.failNextSend(new OutsideMessagingWindow('Outside of allowed window', 10, 2018278));

    const delivered = await deliverHeldNotices(PSID, w.deps);
    const next = await deliverHeldNotices(PSID, w.deps);

    expect({ delivered, next, sent: w.sent.length, held: w.held.size }).toEqual({ delivered: 0, next: 1, sent: 1, held: 0 });
  });

  it('drops a held item that is not a notice it knows, sending nothing', async () => {
    const w = world();
    await w.deps.store.holdNotice(PSID, { key: 'forged', notice: { kind: 'marketing', consentId: 'consent-1' }, until: new Date(START.getTime() + DAY) });
    w.writes();

    const delivered = await deliverHeldNotices(PSID, w.deps);

    expect({ delivered, sent: w.sent, held: w.held.size }).toEqual({ delivered: 0, sent: [], held: 0 });
  });

  it('no longer delivers a reminder past its end date (its hold has expired)', async () => {
    const w = world();
    await sendNotice(PSID, REMINDER_KEY, reminder, w.deps);
    w.advance(31 * DAY);
    w.writes();

    const delivered = await deliverHeldNotices(PSID, w.deps);

    expect({ delivered, sent: w.sent }).toEqual({ delivered: 0, sent: [] });
  });
});
