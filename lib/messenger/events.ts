import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InvalidInput } from '../errors';

/**
 * The webhook body, parsed into a typed union of the event kinds Messenger sends. Every `messaging`
 * and `standby` event of every entry (entries can come from several Pages) becomes one
 * `InboundEvent`. Kinds we do not know are kept as `unknown` so they are recorded and ignored; a body
 * that is not a Messenger delivery at all is refused with a clear `InvalidInput`.
 */

const id = z.string().min(1).max(64);
const text = z.string().max(20_000);
const payload = z.string().max(2_000);
const timestamp = z.number().int().nonnegative();

const attachment = z.object({
  type: z.string().max(32),
  payload: z
    .object({ url: z.string().max(4_000).optional(), sticker_id: z.number().optional(), title: z.string().max(1_000).optional() })
    .optional()
    .nullable(),
});

const referral = z.object({
  ref: z.string().max(2_000).optional(),
  source: z.string().max(64).optional(),
  type: z.string().max(64).optional(),
  ad_id: z.string().max(64).optional(),
  referer_uri: z.string().max(4_000).optional(),
});

const kinds = {
  message: z.object({
    mid: id.max(512),
    text: text.optional(),
    quick_reply: z.object({ payload }).optional(),
    attachments: z.array(attachment).max(50).optional(),
    is_echo: z.boolean().optional(),
    app_id: z.union([z.number(), z.string()]).optional(),
    metadata: z.string().max(1_000).optional(),
    reply_to: z.object({ mid: id.max(512) }).optional(),
    referral: referral.optional(),
  }),
  postback: z.object({
    mid: id.max(512).optional(),
    title: z.string().max(1_000).optional(),
    payload,
    referral: referral.optional(),
  }),
  delivery: z.object({ mids: z.array(id.max(512)).max(1_000).optional(), watermark: timestamp }),
  read: z.object({ watermark: timestamp }),
  reaction: z.object({
    mid: id.max(512),
    action: z.enum(['react', 'unreact']),
    reaction: z.string().max(64).optional(),
    emoji: z.string().max(64).optional(),
  }),
  message_edit: z.object({ mid: id.max(512), text: text.optional(), num_edit: z.number().int().optional() }),
  account_linking: z.discriminatedUnion('status', [
    z.object({ status: z.literal('linked'), authorization_code: z.string().min(1).max(2_000) }),
    z.object({ status: z.literal('unlinked') }),
  ]),
  optin: z.object({
    ref: z.string().max(2_000).optional(),
    user_ref: z.string().max(2_000).optional(),
    type: z.string().max(64).optional(),
    payload: payload.optional(),
  }),
  referral,
  policy_enforcement: z.object({ action: z.string().max(64), reason: z.string().max(4_000).optional() }),
  pass_thread_control: z.object({
    new_owner_app_id: z.union([z.number(), z.string()]),
    previous_owner_app_id: z.union([z.number(), z.string()]).optional(),
    metadata: z.string().max(1_000).optional(),
  }),
  take_thread_control: z.object({
    previous_owner_app_id: z.union([z.number(), z.string()]).optional(),
    new_owner_app_id: z.union([z.number(), z.string()]).optional(),
    metadata: z.string().max(1_000).optional(),
  }),
  request_thread_control: z.object({
    requested_owner_app_id: z.union([z.number(), z.string()]),
    metadata: z.string().max(1_000).optional(),
  }),
} as const;

type Kinds = typeof kinds;
export type KnownKind = keyof Kinds;
/** Order of precedence when an event carries more than one known key (a message with a referral). */
const kindOrder = Object.keys(kinds) as KnownKind[];

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

const envelope = z.object({
  object: z.string(),
  entry: z
    .array(
      z.object({
        id,
        time: timestamp,
        messaging: z.array(z.record(z.string(), z.unknown())).max(1_000).optional(),
        standby: z.array(z.record(z.string(), z.unknown())).max(1_000).optional(),
      }),
    )
    .max(1_000),
});

const eventCommon = z.object({
  sender: z.object({ id }).optional(),
  recipient: z.object({ id }),
  timestamp,
});

export interface ParsedWebhook {
  object: string;
  events: InboundEvent[];
}

const describe = (error: z.ZodError, where: string) =>
  `${where}: ${error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`)
    .join('; ')}`;

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
        events.push(parseEvent(raw, entry.id, channel, `entry[${entryIndex}].${channel}[${eventIndex}]`));
      });
    }
  });
  return { object: body.data.object, events };
}

function parseEvent(raw: Record<string, unknown>, pageId: string, channel: EventBase['channel'], where: string): InboundEvent {
  const common = eventCommon.safeParse(raw);
  if (!common.success) throw new InvalidInput(describe(common.error, where));
  const { sender, recipient, timestamp: ts } = common.data;

  const kind = kindOrder.find((k) => raw[k] !== undefined);
  if (!kind) {
    const keys = Object.keys(raw)
      .filter((k) => !['sender', 'recipient', 'timestamp'].includes(k))
      .slice(0, 20)
      .map((k) => k.slice(0, 64));
    return { id: digestId(raw), pageId, psid: sender?.id ?? null, timestamp: ts, channel, kind: 'unknown', keys };
  }

  const detail = kinds[kind].safeParse(raw[kind]);
  if (!detail.success) throw new InvalidInput(describe(detail.error, `${where}.${kind}`));
  const value = detail.data as Record<string, unknown>;

  const isEcho = kind === 'message' && value.is_echo === true;
  // Echoes are the Page's own messages: the person is the recipient.
  const psid = isEcho ? recipient.id : (sender?.id ?? null);
  const mid = (kind === 'message' || kind === 'postback') && typeof value.mid === 'string' ? value.mid : undefined;

  return {
    id: mid ?? digestId(raw),
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
function digestId(raw: Record<string, unknown>): string {
  return 'h_' + createHash('sha256').update(JSON.stringify(raw)).digest('base64url').slice(0, 32);
}
