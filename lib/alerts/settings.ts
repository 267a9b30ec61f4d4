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
});

export function alertSettingsOf(raw: Record<string, unknown> | undefined, homeCountry: string): AlertSettings {
  const base: AlertSettings = { ...DEFAULT_ALERT_SETTINGS, homeCountry };
  if (!raw) return base;
  const parsed = stored.safeParse(raw);
  if (!parsed.success) return base;
  const { fraudAlerts, largeTransactionThreshold, lowBalanceThreshold } = parsed.data;
  return {
    ...base,
    ...(fraudAlerts !== undefined ? { fraudAlerts } : {}),
    ...(largeTransactionThreshold !== undefined ? { largeTransactionThreshold } : {}),
    ...(lowBalanceThreshold !== undefined ? { lowBalanceThreshold } : {}),
  };
}
