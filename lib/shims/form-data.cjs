/* global module */
// Stands in for the `form-data` package inside bundles (see custom.esbuild.alias in serverless.yml).
// axios, inside the plaid SDK, requires it for multipart bodies, and with it mime-db (~160 KiB of
// every bank function's cold start); the plaid client only ever sends JSON, and Node has FormData.
module.exports = globalThis.FormData;
