import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type Tags } from 'yaml';

/**
 * serverless.yml is the single source of truth for tables, functions and their event sources; the
 * local stack and the tests read it here instead of repeating it.
 */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const serverlessYml = `${projectRoot}serverless.yml`;

// CloudFormation's short-form intrinsics (!GetAtt, !Ref…) are kept as opaque values.
const cfnTags: Tags = ['Ref', 'GetAtt', 'Sub', 'Join', 'Select', 'Split', 'If', 'Equals', 'Not', 'And', 'Or', 'Condition', 'FindInMap', 'ImportValue', 'GetAZs'].flatMap(
  (name) =>
    (['scalar', 'seq', 'map'] as const).map((collection) => ({
      tag: `!${name}`,
      collection: collection === 'scalar' ? undefined : collection,
      // A sequence argument (!GetAtt [A, Arn]) arrives as a YAML node: keep plain values only.
      resolve: (value: unknown) => ({ [`Fn::${name}`]: (value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? value }),
    })) as Tags,
);

export interface StreamSource {
  batchSize: number;
  maximumRetryAttempts: number;
  filterPatterns?: Record<string, unknown>[];
}

export interface FunctionDefinition {
  name: string;
  /** e.g. functions/messenger-webhook.handler */
  handler: string;
  /** The TypeScript module of the handler, relative to the project root. */
  module: string;
  exportName: string;
  events: Record<string, unknown>[];
}

export function readServerlessConfig(file = serverlessYml): Record<string, unknown> {
  return parse(readFileSync(file, 'utf8'), { customTags: cfnTags }) as Record<string, unknown>;
}

export function functionDefinitions(file = serverlessYml): FunctionDefinition[] {
  const config = readServerlessConfig(file) as { functions: Record<string, { handler: string; events?: Record<string, unknown>[] }> };
  return Object.entries(config.functions).map(([name, fn]) => {
    const dot = fn.handler.lastIndexOf('.');
    return {
      name,
      handler: fn.handler,
      module: `${fn.handler.slice(0, dot)}.ts`,
      exportName: fn.handler.slice(dot + 1),
      events: fn.events ?? [],
    };
  });
}

export function functionDefinition(name: string, file = serverlessYml): FunctionDefinition {
  const fn = functionDefinitions(file).find((f) => f.name === name);
  if (!fn) throw new Error(`serverless.yml has no function "${name}" (have: ${functionDefinitions(file).map((f) => f.name).join(', ')})`);
  return fn;
}

/** Names of the functions run on a schedule. */
export function scheduledFunctions(file = serverlessYml): string[] {
  return functionDefinitions(file)
    .filter((fn) => fn.events.some((e) => e.schedule !== undefined))
    .map((fn) => fn.name);
}

/** Names of the functions fed by the main table's stream. */
export function streamConsumers(file = serverlessYml): string[] {
  return functionDefinitions(file)
    .filter((fn) => fn.events.some((e) => (e.stream as { type?: string } | undefined)?.type === 'dynamodb'))
    .map((fn) => fn.name);
}

/** The DynamoDB stream event source of a function, as the event source mapping is configured. */
export function streamSource(name: string, file = serverlessYml): StreamSource {
  const stream = functionDefinition(name, file)
    .events.map((e) => e.stream as (StreamSource & { type?: string }) | undefined)
    .find((s) => s?.type === 'dynamodb');
  if (!stream) throw new Error(`Function ${name} has no DynamoDB stream event in serverless.yml`);
  return {
    batchSize: stream.batchSize ?? 100,
    maximumRetryAttempts: stream.maximumRetryAttempts ?? 3,
    ...(stream.filterPatterns ? { filterPatterns: stream.filterPatterns } : {}),
  };
}
