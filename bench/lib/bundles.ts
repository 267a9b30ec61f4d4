import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { createRequire } from 'node:module';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { functionDefinitions, projectRoot, readServerlessConfig } from '../../dev/serverless-config';

/**
 * Builds each function's bundle exactly as `osls package` does (serverless-esbuild with
 * serverless.yml's custom.esbuild options), but directly through esbuild's API: the same bytes in
 * a fraction of the time. Baseline bundles get the very same options.
 */
// BENCH_OUT_DIR lets a second run (one benchmark alone, while another works in the same tree) build
// and spawn from a directory of its own instead of overwriting the bundles the other is loading.
export const outDir = process.env.BENCH_OUT_DIR ? resolve(process.env.BENCH_OUT_DIR) : join(projectRoot, '.local', 'bench');

export interface Bundle {
  name: string;
  file: string;
  bytes: number;
  /** AWS SDK client packages the bundle contains, e.g. client-dynamodb, client-sqs. */
  sdkClients: string[];
}

interface EsbuildConfig {
  minify?: boolean;
  sourcemap?: boolean;
  sourcesContent?: boolean;
  target?: string;
  platform?: 'node';
  format?: 'esm' | 'cjs';
  outputFileExtension?: string;
  banner?: Record<string, string>;
  mainFields?: string[];
  keepNames?: boolean;
  exclude?: string[];
  alias?: Record<string, string>;
  /** A file of esbuild plugins, relative to the service, as serverless-esbuild takes it. */
  plugins?: string;
}

export function esbuildOptions(): BuildOptions {
  const config = (readServerlessConfig() as { custom: { esbuild: EsbuildConfig } }).custom.esbuild;
  return {
    bundle: true,
    minify: config.minify ?? false,
    sourcemap: config.sourcemap ?? false,
    sourcesContent: config.sourcesContent ?? true,
    target: config.target ?? 'node24',
    platform: config.platform ?? 'node',
    format: config.format ?? 'esm',
    outExtension: { '.js': config.outputFileExtension ?? '.js' },
    ...(config.banner ? { banner: config.banner } : {}),
    ...(config.mainFields ? { mainFields: config.mainFields } : {}),
    keepNames: config.keepNames ?? false,
    external: config.exclude ?? [],
    // serverless-esbuild hands `alias` to esbuild as is; its paths are relative to the service.
    ...(config.alias ? { alias: Object.fromEntries(Object.entries(config.alias).map(([from, to]) => [from, to.startsWith('.') ? join(projectRoot, to) : to])) } : {}),
    ...(config.plugins ? { plugins: createRequire(import.meta.url)(join(projectRoot, config.plugins)) as Plugin[] } : {}),
    metafile: true,
    logLevel: 'error',
  };
}

function sdkClientsOf(metafile: Metafile): string[] {
  const found = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//.exec(input);
    if (match) found.add(match[1]!);
  }
  return [...found].sort();
}

async function buildOne(name: string, entry: string, dir: string): Promise<Bundle> {
  const result = await build({ ...esbuildOptions(), entryPoints: { [name]: entry }, outdir: dir });
  const file = join(dir, `${name}${esbuildOptions().outExtension?.['.js'] ?? '.js'}`);
  return { name, file, bytes: statSync(file).size, sdkClients: sdkClientsOf(result.metafile!) };
}

/** Every function of serverless.yml, bundled. */
export async function buildFunctionBundles(): Promise<Record<string, Bundle>> {
  const dir = join(outDir, 'functions');
  mkdirSync(dir, { recursive: true });
  const out: Record<string, Bundle> = {};
  // Two at a time, like serverless.yml's `concurrency: 2`.
  const defs = functionDefinitions();
  for (let i = 0; i < defs.length; i += 2) {
    const built = await Promise.all(defs.slice(i, i + 2).map((fn) => buildOne(fn.name, join(projectRoot, fn.module), dir)));
    for (const bundle of built) out[bundle.name] = bundle;
  }
  return out;
}

/** The webhook baseline: HMAC check and one conditional put, nothing else. */
export async function buildWebhookBaseline(): Promise<Bundle> {
  const dir = join(outDir, 'baselines');
  mkdirSync(dir, { recursive: true });
  return buildOne('webhook-baseline', join(projectRoot, 'bench', 'baselines', 'webhook-baseline.ts'), dir);
}

/**
 * A cold-start baseline: a bundle that imports only the given AWS SDK clients (the DynamoDB one
 * through the project's own client factory, so it is configured alike), creates them, and serves
 * its first event with one DynamoDB read: the unavoidable part of any of our cold starts.
 */
export async function buildSdkBaseline(clients: string[]): Promise<Bundle> {
  const dir = join(outDir, 'baselines');
  mkdirSync(dir, { recursive: true });
  const name = `sdk-baseline-${clients.map((c) => c.replace('client-', '')).join('-') || 'none'}`;
  const entry = join(dir, `${name}.entry.ts`);
  // The functions load the SSM client lazily (only with SECRETS_SOURCE=ssm): so does the baseline.
  // They create the KMS client on the first token they open, not at init: the baseline imports it
  // and does not create it.
  const others = clients.filter((c) => c !== 'client-dynamodb' && c !== 'client-ssm');
  const lazy = clients.filter((c) => c === 'client-ssm');
  const createdAtInit = (c: string) => c !== 'client-kms';
  const lines = [
    `import { createDocumentClient } from '${join(projectRoot, 'lib/store/client')}';`,
    `import { GetCommand } from '@aws-sdk/lib-dynamodb';`,
    ...others.map((c, i) => `import * as other${i} from '@aws-sdk/${c}';`),
    `const db = createDocumentClient({ region: process.env.AWS_REGION ?? 'eu-west-1', endpoint: process.env.DYNAMODB_ENDPOINT, connectTimeoutMs: 10000, requestTimeoutMs: 10000 });`,
    // Constructing each client is part of the unavoidable init (the code under test does too).
    ...others.map((c, i) =>
      createdAtInit(c)
        ? `const client${i} = Object.entries(other${i}).find(([k]) => k.endsWith('Client') && !k.startsWith('__'))?.[1] as (new (c: object) => unknown) | undefined; if (client${i}) new client${i}({ region: 'eu-west-1' });`
        : `void other${i};`,
    ),
    ...lazy.map((c) => `if (process.env.SECRETS_SOURCE === 'ssm') await import('@aws-sdk/${c}');`),
    `export const handler = async () => { await db.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: 'BASELINE', sk: 'BASELINE' } })); return { ok: true }; };`,
  ];
  writeFileSync(entry, lines.join('\n') + '\n');
  return buildOne(name, entry, dir);
}

