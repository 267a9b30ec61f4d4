import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '../../bench/lib/bundles';
import { functionDefinitions, projectRoot } from '../../dev/serverless-config';
import { normalise } from '../../lib/assistant/nlu/reading';
import { packagedAssetFiles } from '../../lib/charts/assets';
import { barChartSize } from '../../lib/charts/bar-chart';
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

describe('the Spanish stemmer in the conversation bundle', () => {
  it('stems every word of the labelled messages as @nlpjs/lang-es does, without nlp.js\'s container or tokenizer', async () => {
    const entry = join(dir, 'stemmer.entry.ts');
    writeFileSync(entry, `export { default as StemmerEs } from '${join(projectRoot, 'node_modules/@nlpjs/lang-es/src/stemmer-es.js')}';\n`);
    const out = await bundle('stemmer', entry);
    const bundled = (await import(pathToFileURL(join(out, `stemmer${esbuildOptions().outExtension!['.js']}`)).href)) as { StemmerEs: new () => { stemWord(w: string): string } };
    const { default: Original } = (await import('@nlpjs/lang-es/src/stemmer-es.js')) as { default: new () => { stemWord(w: string): string } };
    const nlu = join(projectRoot, 'test/fixtures/nlu');
    const words = new Set(
      readdirSync(nlu)
        .filter((f) => f.endsWith('.json'))
        .flatMap((f) => (JSON.parse(readFileSync(join(nlu, f), 'utf8')) as { text: string }[]).flatMap((m) => normalise(m.text).split(' '))),
    );
    const [mine, theirs] = [new bundled.StemmerEs(), new Original()];
    const differ = [...words].filter((w) => mine.stemWord(w) !== theirs.stemWord(w));

    expect(words.size).toBeGreaterThan(3_000);
    expect(differ).toEqual([]);
    const conversation = await build({ ...esbuildOptions(), entryPoints: [join(projectRoot, 'functions/conversation.ts')], write: false, outdir: join(dir, 'conversation'), metafile: true });
    const inputs = Object.keys(conversation.metafile.inputs);
    expect(inputs.some((i) => i.includes('lang-es/src/stemmer-es.js'))).toBe(true);
    expect(inputs.filter((i) => /@nlpjs\/core\/src\/(container|tokenizer|default-compiler|logger)\.js$/.test(i))).toEqual([]);
  });
});

describe('the chart renderer', () => {
  it('is in the spending picture\'s bundle and in no other function\'s', async () => {
    const carriers: string[] = [];
    const defs = functionDefinitions();
    // Two at a time, like serverless.yml's `concurrency: 2`; nothing is written, the metafile is read.
    for (let i = 0; i < defs.length; i += 2) {
      const built = await Promise.all(
        defs.slice(i, i + 2).map(async (fn) => ({ fn: fn.name, result: await build({ ...esbuildOptions(), entryPoints: { [fn.name]: join(projectRoot, fn.module) }, outdir: join(dir, 'all'), write: false }) })),
      );
      for (const { fn, result } of built) {
        if (Object.keys(result.metafile!.inputs).some((input) => input.includes('node_modules/@resvg/') || input.startsWith('lib/charts/'))) carriers.push(fn);
      }
    }
    expect(defs.length).toBeGreaterThan(8);
    expect(carriers).toEqual(['spendingPicture']);
  }, 120_000);

  it('draws from a bundle whose only neighbours are the files the function\'s package carries (as in Lambda)', async () => {
    // The zip's layout: the bundle under functions/, the renderer's files under node_modules/.
    const task = join(dir, 'task');
    const out = join(task, 'functions');
    await build({ ...esbuildOptions(), entryPoints: { chart: join(projectRoot, 'lib/charts/bar-chart.ts') }, outdir: out });
    for (const file of packagedAssetFiles()) {
      mkdirSync(dirname(join(task, file)), { recursive: true });
      copyFileSync(join(projectRoot, file), join(task, file));
    }
    const probe = join(dir, 'chart-probe.mjs');
    writeFileSync(
      probe,
      `const { renderBarChart } = await import(${JSON.stringify(pathToFileURL(join(out, `chart${esbuildOptions().outExtension!['.js']}`)).href)});
const chart = await renderBarChart({ title: 'Spending', bars: [{ label: 'Groceries', amount: 412.1 }], currency: 'USD', locale: 'en-US', description: 'Groceries: $412.10' });
console.log(JSON.stringify({ width: chart.width, height: chart.height, signature: Buffer.from(chart.png.subarray(1, 4)).toString('latin1') }));
`,
    );
    // From the task's own directory, where no project node_modules is above it.
    const { stdout } = await promisify(execFile)(process.execPath, [probe], { cwd: task, timeout: 60_000 });
    expect(JSON.parse(stdout)).toEqual({ ...barChartSize(1), signature: 'PNG' });
  }, 120_000);
});
