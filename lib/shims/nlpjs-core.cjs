/* global module, require */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS stand-in, bundled as one */
// Stands in for `@nlpjs/core` inside bundles (see nlpjsCoreForStemming in esbuild-plugins.cjs): the
// Spanish stemmer of @nlpjs/lang-es needs only these two parts of it.
module.exports = {
  Among: require('@nlpjs/core/src/among.js'),
  BaseStemmer: require('@nlpjs/core/src/base-stemmer.js'),
};
