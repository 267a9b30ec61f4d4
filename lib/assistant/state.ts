import * as z from 'zod/mini';
import { categoryKeys } from './nlu/lexicon';
import { INSIGHT_RULES } from '../alerts/rules';
import { intentNames, type IntentName } from './nlu/intent-names';
import type { Slots } from './nlu/understand';
import { LANGUAGES, type Language } from '../text/language';
import '../validation';

/**
 * The conversation's memory, as stored (one item per person, with a TTL): the language, the last
 * question (so "and last month?" has something to follow), a confirmation being waited for and a
 * refresh that was promised. Read through this schema: anything malformed is forgotten, not trusted.
 */
export const slotsSchema = z.object({
  period: z.optional(z.string().check(z.maxLength(20))),
  category: z.optional(z.enum(categoryKeys)),
  merchant: z.optional(z.string().check(z.maxLength(80))),
  accountType: z.optional(z.enum(['checking', 'savings', 'credit'])),
  count: z.optional(z.number().check(z.int(), z.gte(1), z.lte(100))),
  minAmount: z.optional(z.number().check(z.gte(0))),
  maxAmount: z.optional(z.number().check(z.gte(0))),
  amount: z.optional(z.number().check(z.gte(0))),
  enabled: z.optional(z.boolean()),
});
/**
 * A change the chat has restated and is waiting for a yes to: it is applied only as stored here,
 * and a confirmation payload must name exactly this change. Amounts have the limits the settings
 * themselves have.
 */
export const ALERT_AMOUNT_LIMITS = { min: 1, max: 1_000_000 } as const;
const threshold = z.nullable(z.number().check(z.gte(ALERT_AMOUNT_LIMITS.min), z.lte(ALERT_AMOUNT_LIMITS.max)));
export const changeSchema = z.union([
  z.strictObject({ kind: z.literal('fraud'), on: z.boolean() }),
  z.strictObject({ kind: z.literal('large'), amount: threshold }),
  z.strictObject({ kind: z.literal('low'), amount: threshold }),
  z.strictObject({ kind: z.literal('handover') }),
  /** Private mode on (figures on a page of ours) or off (figures in the chat). */
  z.strictObject({ kind: z.literal('private'), on: z.boolean() }),
  /** One money insight (lib/alerts/insights.ts) on or off. */
  z.strictObject({ kind: z.enum(INSIGHT_RULES), on: z.boolean() }),
]);
export type Change = z.infer<typeof changeSchema>;

const question = z.object({ intent: z.enum(intentNames), slots: slotsSchema, text: z.optional(z.string().check(z.maxLength(1000))) });
const stateSchema = z.object({
  lang: z.optional(z.enum(LANGUAGES)),
  /** The person has been told this is an automated assistant (the first reply says so). */
  greeted: z.optional(z.literal(true)),
  last: z.optional(z.extend(question, { at: z.iso.datetime() })),
  pending: z.optional(
    z.union([
      z.object({ kind: z.literal('stop-sharing'), consentIds: z.array(z.string().check(z.maxLength(64))).check(z.maxLength(20)), at: z.iso.datetime() }),
      z.object({ kind: z.literal('change'), change: changeSchema, at: z.iso.datetime() }),
    ]),
  ),
  refresh: z.optional(
    z.extend(question, {
      key: z.string().check(z.minLength(1), z.maxLength(600)),
      itemIds: z.array(z.string().check(z.maxLength(128))).check(z.maxLength(20)),
      at: z.iso.datetime(),
      lang: z.enum(LANGUAGES),
    }),
  ),
});

export type ConversationState = z.infer<typeof stateSchema>;
export interface Question {
  intent: IntentName;
  slots: Slots;
  text?: string | undefined;
}

/** How long each memory counts. */
export const STATE_LIMITS = {
  /** "and last month?" follows a question asked within this time. */
  followUpMinutes: 60,
  /** A typed "yes" (or the Yes quick reply) confirms a change asked about within this time. */
  confirmationMinutes: 10,
  /** An updated figure is still worth sending this long after the question. */
  refreshMinutes: 15,
  /** A new question does not ask the bank again within this time of the last refresh. */
  refreshDebounceMinutes: 2,
} as const;

export function readState(raw: Record<string, unknown> | undefined): ConversationState {
  if (!raw) return {};
  const parsed = stateSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  // Keep what still validates, one part at a time.
  const partial: ConversationState = {};
  for (const key of ['lang', 'greeted', 'last', 'pending', 'refresh'] as const) {
    const one = stateSchema.safeParse({ [key]: raw[key] });
    if (one.success && one.data[key] !== undefined) Object.assign(partial, { [key]: one.data[key] });
  }
  return partial;
}

export const within = (at: string | undefined, minutes: number, now: Date) => at !== undefined && now.getTime() - Date.parse(at) < minutes * 60_000;

/** "and last month?": the last question with the new details; undefined when there is none to follow. */
export function followUp(state: ConversationState, slotsNow: Slots, now: Date): Question | undefined {
  const last = state.last && within(state.last.at, STATE_LIMITS.followUpMinutes, now) ? state.last : undefined;
  if (!last) return undefined;
  const slots: Slots = { ...last.slots };
  if (slotsNow.category) delete slots.merchant;
  if (slotsNow.merchant) delete slots.category;
  Object.assign(slots, slotsNow);
  // A balance has no period or category: "and in restaurants?" after a balance asks for spending.
  const intent = last.intent === 'balance' && (slotsNow.period || slotsNow.category || slotsNow.merchant) ? 'spending' : last.intent;
  return { intent, slots };
}

/** A follow-up with nothing to follow is read on its own: an account alone is a balance, the rest spending. */
export function standalone(slotsNow: Slots): Question {
  if (slotsNow.accountType && !slotsNow.period && !slotsNow.category && !slotsNow.merchant) return { intent: 'balance', slots: slotsNow };
  if (slotsNow.count !== undefined && !slotsNow.category && !slotsNow.merchant) return { intent: 'transactions', slots: slotsNow };
  return { intent: 'spending', slots: slotsNow };
}

export const sameState = (a: ConversationState, b: ConversationState) => JSON.stringify(a) === JSON.stringify(b);

export type { Language };
