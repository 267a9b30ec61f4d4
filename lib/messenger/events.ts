import { createHash } from 'node:crypto';
import { InvalidInput } from '../errors';
import * as z from 'zod/mini';
import { describeIssues } from '../validation';

/**
 * The webhook body, parsed into a typed union of the event kinds Messenger sends. Every `messaging`
 * and `standby` event of every entry (entries can come from several Pages) becomes one
 * `InboundEvent`. Kinds we do not know are kept as `unknown` so they are recorded and ignored; a body
 * that is not a Messenger delivery at all is refused with a clear `InvalidInput`.
 */

const str = (max: number, min = 0) => z.string().check(z.minLength(min), z.maxLength(max));
const opt = <T extends z.core.SomeType>(schema: T) => z.optional(schema);
const id = str(64, 1);
const mid = str(512, 1);
const text = str(20_000);
const payload = str(2_000);
const timestamp = z.number().check(z.int(), z.nonnegative());
const appId = z.union([z.number(), z.string()]);

const attachment = z.object({
  type: str(32),
  payload: z.nullish(
    z.object({ url: opt(str(4_000)), sticker_id: opt(z.number()), title: opt(str(1_000)) }),
  ),
});

const referral = z.object({
  ref: opt(str(2_000)),
  source: opt(str(64)),
  type: opt(str(64)),
  ad_id: opt(str(64)),
  referer_uri: opt(str(4_000)),
});

/**
 * One schema per event kind, each built the first time an event of its kind arrives: a container
 * sees messages and postbacks, rarely the other fourteen, and zod builds a schema at a cost (about
 * 1.5 ms of the webhook's cold start for all of them).
 */
const kindSchemas = {
  message: () => z.object({
    mid,
    text: opt(text),
    quick_reply: opt(z.object({ payload })),
    attachments: opt(z.array(attachment).check(z.maxLength(50))),
    is_echo: opt(z.boolean()),
    app_id: opt(appId),
    metadata: opt(str(1_000)),
    reply_to: opt(z.object({ mid })),
    referral: opt(referral),
  }),
  postback: () => z.object({ mid: opt(mid), title: opt(str(1_000)), payload, referral: opt(referral) }),
  delivery: () => z.object({ mids: opt(z.array(mid).check(z.maxLength(1_000))), watermark: timestamp }),
  read: () => z.object({ watermark: timestamp }),
  reaction: () => z.object({
    mid,
    action: z.enum(['react', 'unreact']),
    reaction: opt(str(64)),
    emoji: opt(str(64)),
  }),
  message_edit: () => z.object({ mid, text: opt(text), num_edit: opt(z.number().check(z.int())) }),
  account_linking: () => z.discriminatedUnion('status', [
    z.object({ status: z.literal('linked'), authorization_code: str(2_000, 1) }),
    z.object({ status: z.literal('unlinked') }),
  ]),
  optin: () => z.object({ ref: opt(str(2_000)), user_ref: opt(str(2_000)), type: opt(str(64)), payload: opt(payload) }),
  referral: () => referral,
  policy_enforcement: () => z.object({ action: str(64), reason: opt(str(4_000)) }),
  // previous_owner_app_id is null when the thread was idle (no owner).
  pass_thread_control: () => z.object({ new_owner_app_id: appId, previous_owner_app_id: z.nullish(appId), metadata: opt(str(1_000)) }),
  take_thread_control: () => z.object({ previous_owner_app_id: z.nullish(appId), new_owner_app_id: z.nullish(appId), metadata: opt(str(1_000)) }),
  request_thread_control: () => z.object({ requested_owner_app_id: appId, metadata: opt(str(1_000)) }),
} as const;

type Kinds = { [K in keyof typeof kindSchemas]: ReturnType<(typeof kindSchemas)[K]> };
const built: Partial<Kinds> = {};
const schemaOf = <K extends keyof Kinds>(kind: K): Kinds[K] => (built[kind] ??= kindSchemas[kind]() as Kinds[K]);

export type KnownKind = keyof Kinds;
/** Order of precedence when an event carries more than one known key (a message with a referral). */
const kindOrder = Object.keys(kindSchemas) as KnownKind[];

interface EventBase {
  /** Dedupe key: the message/postback `mid`, or a digest of the event when it has none. */
  id: string;
  pageId: string;
  /** The person's page-scoped id; the recipient for the Page's own echoes; null for Page-only events. */
  psid: string | null;
  timestamp: number;
  channel: 'messaging' | 'standby';
}

export type KnownEvent = { [K in KnownKind]: EventBase & { kind: K } & { [P in K]: z.infer<Kinds[P]> } }[KnownKind];
export type UnknownEvent = EventBase & { kind: 'unknown'; keys: string[] };
export type InboundEvent = KnownEvent | UnknownEvent;
export type EventOfKind<K extends InboundEvent['kind']> = Extract<InboundEvent, { kind: K }>;

const rawEvents = opt(z.array(z.record(z.string(), z.unknown())).check(z.maxLength(1_000)));
const envelope = z.object({
  object: z.string(),
  entry: z.array(z.object({ id, time: timestamp, messaging: rawEvents, standby: rawEvents })).check(z.maxLength(1_000)),
});

// Delivery and read receipts may come without `timestamp` (Meta's own reference example has none):
// their watermark, or the entry's time, stands in.
const eventCommon = z.object({ sender: opt(z.object({ id })), recipient: z.object({ id }), timestamp: opt(timestamp) });

export interface ParsedWebhook {
  object: string;
  events: InboundEvent[];
}

const describe = (error: z.core.$ZodError, where: string) => `${where}: ${describeIssues(error)}`;

/** Parses and validates a webhook body. Throws InvalidInput with a message safe to return. */
export function parseWebhookBody(rawBody: Uint8Array | string): ParsedWebhook {
  let json: unknown;
  try {
    json = JSON.parse(typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8'));
  } catch {
    throw new InvalidInput('Body is not valid JSON');
  }
  const body = envelope.safeParse(json);
  if (!body.success) throw new InvalidInput(describe(body.error, 'Not a Messenger webhook body'));

  const events: InboundEvent[] = [];
  body.data.entry.forEach((entry, entryIndex) => {
    for (const channel of ['messaging', 'standby'] as const) {
      entry[channel]?.forEach((raw, eventIndex) => {
        events.push(parseEvent(raw, entry, channel, `entry[${entryIndex}].${channel}[${eventIndex}]`));
      });
    }
  });
  return { object: body.data.object, events };
}

function parseEvent(
  raw: Record<string, unknown>,
  entry: { id: string; time: number },
  channel: EventBase['channel'],
  where: string,
): InboundEvent {
  const common = eventCommon.safeParse(raw);
  if (!common.success) throw new InvalidInput(describe(common.error, where));
  const { sender, recipient } = common.data;
  const pageId = entry.id;
  const watermark = (raw.delivery ?? raw.read) as { watermark?: unknown } | undefined;
  const ts = common.data.timestamp ?? (typeof watermark?.watermark === 'number' ? watermark.watermark : entry.time);

  const kind = kindOrder.find((k) => raw[k] !== undefined);
  if (!kind) {
    const keys = Object.keys(raw)
      .filter((k) => !['sender', 'recipient', 'timestamp'].includes(k))
      .slice(0, 20)
      .map((k) => k.slice(0, 64));
    return { id: digestId(raw, where), pageId, psid: sender?.id ?? null, timestamp: ts, channel, kind: 'unknown', keys };
  }

  const detail = schemaOf(kind).safeParse(raw[kind]);
  if (!detail.success) throw new InvalidInput(describe(detail.error, `${where}.${kind}`));
  const value = detail.data as Record<string, unknown>;

  const isEcho = kind === 'message' && value.is_echo === true;
  // Echoes are the Page's own messages: the person is the recipient.
  const psid = isEcho ? recipient.id : (sender?.id ?? null);
  const mid = (kind === 'message' || kind === 'postback') && typeof value.mid === 'string' ? value.mid : undefined;

  return {
    id: mid ?? digestId(raw, where),
    pageId,
    psid,
    timestamp: ts,
    channel,
    kind,
    [kind]: value,
  } as unknown as KnownEvent; // the kind key and its validated value were checked together above
}

/**
 * Events without a unique `mid` (delivery, read, reactions, edits, handover…) are keyed by a digest
 * of the event as Meta sent it: a redelivery carries the same bytes, so the same key.
 */
function digestId(raw: Record<string, unknown>, where: string): string {
  let canonical: string;
  try {
    canonical = JSON.stringify(raw);
  } catch {
    // Only a pathologically nested value gets here (the stack overflows); no real event does.
    throw new InvalidInput(`${where}: nested too deeply`);
  }
  return 'h_' + createHash('sha256').update(canonical).digest('base64url').slice(0, 32);
}
