/* global module, __dirname */
// esbuild plugins for the Lambda bundles (custom.esbuild.plugins in serverless.yml; the benchmark
// and test/serverless/bundle.test.ts build with them too, through bench/lib/bundles.ts).
/**
 * axios (inside the plaid SDK) warms its fetch adapter's cache when it loads: a bare `getFetch();`
 * that reads `globalThis.Request` and builds a Request. In Node that first touch loads Node's own
 * fetch implementation (undici), ~10-15 ms of the first bank call of every cold start (syncWorker,
 * bankWebhook; measured with the cold-start benchmark's first events), for an adapter axios never
 * picks in Node: its http adapter comes first. The adapter still builds itself if it is ever
 * asked for (`adapters.fetch` is a getter that calls getFetch). No option of axios or plaid turns
 * the warm-up off, so the statement is dropped from the bundled copy. If a later axios no longer
 * has it, the file is bundled as is; test/serverless/bundle.test.ts fails if loading the SDK and
 * making a bank call touches fetch again.
 */
const axiosWithoutFetchWarmUp = {
  name: 'axios-without-fetch-warm-up',
  setup(build) {
    build.onLoad({ filter: /[\\/]axios[\\/]dist[\\/]node[\\/]axios\.cjs$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const source = await readFile(args.path, 'utf8');
      const trimmed = source.replace(/\ngetFetch\(\);\n/, '\n');
      return trimmed === source ? undefined : { contents: trimmed, loader: 'js' };
    });
  },
};

/**
 * The Spanish stemmer of @nlpjs/lang-es (the conversation's understanding) needs only Among and
 * BaseStemmer of `@nlpjs/core`, but requiring the package loads all of it (containers, logger,
 * storage, uuid…): ~7 ms of the conversation's cold start for code that never runs there. The bare
 * package name is resolved to a module exporting just those two (nlpjs-core.cjs).
 *
 * BaseStemmer itself still requires the container (with its compiler and logger) and the tokenizer,
 * which only its sentence methods (`tokenizeAndStem`, stopwords) reach; the understanding calls
 * `stemWord` alone, which reads neither. Those two requires get stand-ins: an empty container and a
 * tokenizer that says it was left out. That is ~12 KiB less to compile and ~1 ms less init
 * (measured in alternation, 21 fresh processes); test/serverless/bundle.test.ts checks that the
 * bundled stemmer stems as the package does and that neither file is bundled.
 */
const STEMMER_STAND_INS = {
  container: 'module.exports = { defaultContainer: { get() { return undefined; } } };',
  tokenizer:
    "module.exports = class { constructor() { throw new Error('nlp.js tokenizer is not bundled: only BaseStemmer.stemWord is'); } };",
};
const nlpjsCoreForStemming = {
  name: 'nlpjs-core-for-stemming',
  setup(build) {
    build.onResolve({ filter: /^@nlpjs\/core$/ }, async () => {
      const { join } = await import('node:path');
      return { path: join(__dirname, 'nlpjs-core.cjs') };
    });
    build.onResolve({ filter: /^\.\/(container|tokenizer)$/ }, (args) =>
      /[\\/]@nlpjs[\\/]core[\\/]src[\\/]base-stemmer\.js$/.test(args.importer)
        ? { path: args.path.slice(2), namespace: 'nlpjs-stemmer-stand-in' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'nlpjs-stemmer-stand-in' }, (args) => ({ contents: STEMMER_STAND_INS[args.path], loader: 'js' }));
    // The stemmer's dictionary (~900 Spanish exceptions) as esbuild bundles JSON is an object literal
    // V8 builds key by key; handed to JSON.parse as one string, it loads ~0.7 ms faster (measured
    // alone, 31 fresh processes). The trained model is one long string already: parsing it again
    // would be slower, so only this file is changed.
    build.onLoad({ filter: /[\\/]@nlpjs[\\/]lang-es[\\/]src[\\/]dictionary-es\.json$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const json = JSON.stringify(JSON.parse(await readFile(args.path, 'utf8')));
      return { contents: `module.exports = JSON.parse(${JSON.stringify(json)});`, loader: 'js' };
    });
  },
};

module.exports = [axiosWithoutFetchWarmUp, nlpjsCoreForStemming];
