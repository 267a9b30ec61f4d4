/**
 * The subset of Lambda event-filtering patterns the local stack needs, so records reach the
 * handlers locally exactly as the event source mapping in serverless.yml would pass them: exact
 * values, `prefix`, `exists` and `anything-but`, nested objects. Hand-written because no small
 * library implements Lambda's matcher for use outside AWS.
 */
type Pattern = { [key: string]: Pattern | unknown[] };

export function matchesAnyFilter(patterns: Pattern[] | undefined, value: unknown): boolean {
  if (!patterns || patterns.length === 0) return true;
  return patterns.some((pattern) => matches(pattern, value));
}

function matches(pattern: Pattern, value: unknown): boolean {
  // A missing parent object behaves as an empty one: only `exists: false` rules can match it.
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  return Object.entries(pattern).every(([key, rule]) =>
    Array.isArray(rule) ? rule.some((r) => matchesRule(r, record[key], key in record)) : matches(rule as Pattern, record[key]),
  );
}

function matchesRule(rule: unknown, value: unknown, present: boolean): boolean {
  if (rule === null || typeof rule !== 'object') return present && value === rule;
  const r = rule as Record<string, unknown>;
  if ('exists' in r) return r.exists === present;
  if ('prefix' in r) return typeof value === 'string' && value.startsWith(String(r.prefix));
  if ('anything-but' in r) {
    const excluded = Array.isArray(r['anything-but']) ? r['anything-but'] : [r['anything-but']];
    return present && !excluded.includes(value);
  }
  throw new Error(`Unsupported filter rule ${JSON.stringify(rule)}`);
}
