import * as z from 'zod/mini';
import { DEFAULT_ALERT_SETTINGS, type AlertSettings } from './rules';
import '../validation';

/**
 * A person's alert settings: what they chose in the chat (the assistant writes them), over the
 * defaults (fraud alerts on, large transactions from 500, low-balance alerts off). A stored value
 * that does not validate is ignored field by field rather than trusted.
 */
const stored = z.object({
  fraudAlerts: z.optional(z.boolean()),
  largeTransactionThreshold: z.optional(z.nullable(z.number().check(z.gte(0), z.lte(1_000_000)))),
  lowBalanceThreshold: z.optional(z.nullable(z.number().check(z.gte(0), z.lte(1_000_000)))),
  /** The money insights the person turned off or on; the others keep the default (on). */
  insights: z.optional(
    z.object({
      'price-up': z.optional(z.boolean()),
      'new-recurring': z.optional(z.boolean()),
      'double-charge': z.optional(z.boolean()),
      'bill-due-low': z.optional(z.boolean()),
    }),
  ),
});

export function alertSettingsOf(raw: Record<string, unknown> | undefined, homeCountry: string): AlertSettings {
  const base: AlertSettings = { ...DEFAULT_ALERT_SETTINGS, homeCountry };
  if (!raw) return base;
  const parsed = stored.safeParse(raw);
  if (!parsed.success) return base;
  const { fraudAlerts, largeTransactionThreshold, lowBalanceThreshold, insights } = parsed.data;
  const chosen = Object.fromEntries(Object.entries(insights ?? {}).filter(([, on]) => on !== undefined));
  return {
    ...base,
    ...(Object.keys(chosen).length ? { insights: chosen } : {}),
    ...(fraudAlerts !== undefined ? { fraudAlerts } : {}),
    ...(largeTransactionThreshold !== undefined ? { largeTransactionThreshold } : {}),
    ...(lowBalanceThreshold !== undefined ? { lowBalanceThreshold } : {}),
  };
}
