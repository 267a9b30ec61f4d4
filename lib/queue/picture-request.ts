import * as z from 'zod/mini';
import '../validation';
import { LANGUAGES, type Language } from '../text/language';

/**
 * The picture queue: a person asked to see their spending, and the spendingPicture function (the
 * only one that carries the chart renderer) draws and sends it. The message names the person, the
 * question's event and the days asked about; never a figure.
 */
export interface PictureRequest {
  psid: string;
  /** The inbound event the person asked in: the answer's key in the reply ledger, so it is sent once. */
  key: string;
  /** The period as asked ("this-month") and its days, resolved where and when the person asked. */
  period: { spec: string; from: string; to: string };
  language: Language;
  /** Private mode: the picture goes to the person's private page, never to Messenger. */
  private?: true;
}

const day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));
// The longest period a person can ask about ("last year") is a year; the data held is 90 days.
const MAX_DAYS = 366;

export const pictureRequestSchema = z.object({
  psid: z.string().check(z.minLength(1), z.maxLength(64)),
  key: z.string().check(z.minLength(1), z.maxLength(256)),
  period: z
    .object({ spec: z.string().check(z.regex(/^[a-z0-9-]{1,32}$/)), from: day, to: day })
    .check(z.refine((p) => p.from <= p.to && Date.parse(p.to) - Date.parse(p.from) < MAX_DAYS * 86_400_000, 'from..to, at most a year')),
  language: z.enum(LANGUAGES),
  private: z.optional(z.literal(true)),
});
