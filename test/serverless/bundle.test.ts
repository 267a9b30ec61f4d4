import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '../../bench/lib/bundles';
import { projectRoot } from '../../dev/serverless-config';
import * as fixtures from '../lib/banking/fixtures';
import { startPlaidServer, type PlaidServer } from '../lib/banking/plaid-server';

/**
 * What minification and bundling do to our code, checked on bundles built with serverless.yml's
 * custom.esbuild options (as `osls package` builds them, through esbuild's API): much faster than
 * packaging, and it runs the code rather than reading the template.
 */
let dir: string;
const bundle = async (name: string, entry: string) => {
  const out = join(dir, name);
  await build({ ...esbuildOptions(), entryPoints: { [name]: entry }, outdir: out });
  return out;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bundle-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('error names in a minified bundle', () => {
  /** Bases no one throws: their instances have no name of their own. */
  const abstractBases = ['AppError', 'BankError', 'SendApiError'];

  it('every error class we throw carries its own name, whatever the minifier calls the class', async () => {
    const entry = join(dir, 'errors.entry.ts');
    writeFileSync(
      entry,
      [`export * from '${join(projectRoot, 'lib/errors')}';`, `export { WebhookUnverified } from '${join(projectRoot, 'lib/banking/webhook-verification')}';`].join('\n'),
    );
    const out = await bundle('errors', entry);
    const exported = (await import(pathToFileURL(join(out, `errors${esbuildOptions().outExtension!['.js']}`)).href)) as Record<string, unknown>;
    const classes = Object.entries(exported).filter((e): e is [string, new (message: string) => Error] => typeof e[1] === 'function' && e[1].prototype instanceof Error);

    const names = Object.fromEntries(classes.map(([exportName, Class]) => [exportName, Object.hasOwn(new Class('m'), 'name') ? new Class('m').name : undefined]));

    expect(classes.length).toBeGreaterThan(25);
    for (const [exportName, name] of Object.entries(names)) expect(name, exportName).toBe(abstractBases.includes(exportName) ? undefined : exportName);
    // The check means something only if the classes' own names are not kept by the bundler.
    expect(classes.some(([exportName, Class]) => Class.name !== exportName)).toBe(!esbuildOptions().keepNames);
  });
});

describe('the Plaid SDK in a bank bundle', () => {
  let server: PlaidServer;
  beforeAll(async () => {
    server = await startPlaidServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('is in the one file, loaded by the first bank call and not before, works, and leaves Node\'s fetch unloaded', async () => {
    const out = await bundle('plaid-connector', join(projectRoot, 'lib/banking/plaid-connector.ts'));
    const file = join(out, `plaid-connector${esbuildOptions().outExtension!['.js']}`);
    expect(readdirSync(out).filter((f) => !f.endsWith('.map'))).toEqual([`plaid-connector${esbuildOptions().outExtension!['.js']}`]);
    server.on('/webhook_verification_key/get', { status: 200, body: fixtures.webhookKeyResponse });

    // A fresh process: bundled CommonJS packages (plaid, axios) reach Node's built-ins through the
    // banner's require, so what is required before and after the first call shows when they ran.
    const probe = join(dir, 'probe.mjs');
    writeFileSync(
      probe,
      `import Module from 'node:module';
// Node's fetch (undici) loads on the first touch of any of these globals: a cold start's cost.
const fetchTouched = [];
for (const name of ['fetch', 'Request', 'Response', 'Headers']) {
  const own = Object.getOwnPropertyDescriptor(globalThis, name);
  Object.defineProperty(globalThis, name, { configurable: true, get() { fetchTouched.push(name); return own.get ? own.get.call(globalThis) : own.value; } });
}
const required = [];
const load = Module._load;
Module._load = function (request, ...rest) { required.push(request); return load.call(this, request, ...rest); };
const { createPlaidConnector } = await import(${JSON.stringify(pathToFileURL(file).href)});
const bank = createPlaidConnector({ baseUrl: process.argv[2], clientId: 'client', secret: 'secret' });
const atLoad = required.splice(0);
const key = await bank.getWebhookVerificationKey('kid-1');
console.log(JSON.stringify({ atLoad, onFirstCall: required, kid: key.kid, fetchTouched }));
`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, [probe, server.url], { timeout: 30_000 });
    const result = JSON.parse(stdout) as { atLoad: string[]; onFirstCall: string[]; kid: string; fetchTouched: string[] };

    expect(result.kid).toBe(fixtures.webhookKeyResponse.key.kid);
    expect(result.atLoad).toEqual([]);
    expect(result.onFirstCall).toEqual(expect.arrayContaining(['http', 'https', 'zlib']));
    // axios' warm-up of its fetch adapter is dropped (lib/shims/esbuild-plugins.cjs): its http
    // adapter makes the call, and Node's fetch is never loaded.
    expect(result.fetchTouched).toEqual([]);
  });
});
