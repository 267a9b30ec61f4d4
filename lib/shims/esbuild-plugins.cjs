/* global module */
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

module.exports = [axiosWithoutFetchWarmUp];
