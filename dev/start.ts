/**
 * `npm start`: the whole product on this machine, on embedded defaults (see dev/local-stack.ts),
 * on the ports the README and .env.example name. Ctrl-C, or SIGINT / SIGTERM to npm's process
 * (the script `exec`s, so the signal reaches this one), stops all of it.
 *
 * Once everything answers it prints what to try; Enter prints that again, since what the functions
 * log (one line per record, LOG_FORMAT=local) pushes it up as the stack is used.
 *
 * With GRAPH_API_URL outside this machine (Meta's) and the Page's real token and app secret in
 * .env, the bot talks to that real Page instead of the Graph API stub (dev/env.ts chooseGraphApi).
 */
import { chooseGraphApi, exampleEnv, loadLocalEnv } from './env';
import { startLocalStack, STAGE, type LocalStack, type LocalStackOptions, type RealPageStack } from './local-stack';
import { projectRoot } from './serverless-config';

const envFile = loadLocalEnv();
const env = process.env as Record<string, string>;
const portOf = (url: string | undefined) => (url ? Number(new URL(url).port) || undefined : undefined);

let stack: LocalStack | RealPageStack | undefined;
let stopping = false;
async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping the local stack…');
  await stack?.stop();
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

async function main() {
  console.log(`Configuration from ${envFile.replace(projectRoot, '')}`);
  const graphApi = chooseGraphApi(env, exampleEnv());
  if (graphApi.kind === 'refused') {
    console.error(`GRAPH_API_URL (${env.GRAPH_API_URL}) is not on this machine, so npm start would talk to a real Page, but:\n  ${graphApi.reasons.join('\n  ')}\nOr point GRAPH_API_URL back at the local stub (http://127.0.0.1:3100/v25.0).`);
    process.exit(1);
  }
  const options = {
    ports: {
      http: portOf(env.PUBLIC_BASE_URL) ?? 3000,
      lambda: 3002,
      dynamodb: portOf(env.DYNAMODB_ENDPOINT),
      graph: graphApi.kind === 'stub' ? portOf(env.GRAPH_API_URL) : undefined,
      bank: portOf(env.PLAID_BASE_URL),
      sqs: portOf(env.SQS_ENDPOINT),
      simulator: Number(env.SIMULATOR_PORT ?? 3300),
    },
    log: (line) => console.log(line),
    offlineOutput: 'inherit',
    onCrash: (reason) => {
      console.error(`${reason}\nStopping.`);
      void stopAll(1);
    },
  } satisfies LocalStackOptions;
  if (graphApi.kind === 'real') {
    console.log(`GRAPH_API_URL is ${graphApi.url}: the bot talks to your real Page, with its MESSENGER_PAGE_ACCESS_TOKEN.`);
    const realPage = await startLocalStack({ ...options, graphApiUrl: graphApi.url });
    stack = realPage;
    showWhatToTry(realPageBanner(realPage));
  } else {
    const local = await startLocalStack(options);
    stack = local;
    showWhatToTry(stubBanner(local));
  }
}

/** What to try, once the stack answers, and again on each Enter in a terminal. */
function showWhatToTry(banner: string) {
  if (!process.stdin.isTTY) {
    console.log(banner);
    return;
  }
  const shown = `${banner}\nPress Enter to see this again.`;
  console.log(shown);
  process.stdin.on('data', () => {
    if (!stopping) console.log(shown);
  });
}

function stubBanner({ urls }: LocalStack) {
  return `
Open the Messenger simulator: ${urls.simulator}
  chat as a test person, link a bank, ask "what's my balance?", post a transaction at the bank.

Or from a terminal:
  npm run say -- "hello"                      # sign and post a message as a test person, print the reply
  npm run say -- "link my bank"               # then open the link it prints: consent page → sandbox bank
  npm run say -- "stop sharing"               # revoke (one confirmation), and see what was deleted
  npm run invoke                              # the sample events: run one function once with one
  curl "${urls.api}/webhook?hub.mode=subscribe&hub.verify_token=${env.MESSENGER_VERIFY_TOKEN}&hub.challenge=42"

Stage ${STAGE}, Graph API stub. Ctrl-C stops everything.`;
}

function realPageBanner({ urls }: RealPageStack) {
  return `
Talking to a REAL Page through ${urls.graph} (not the stub): what the bot says reaches real people.
  1. Expose the webhook through an HTTPS tunnel, e.g.  cloudflared tunnel --url ${urls.api}
  2. In your Meta app's Messenger webhook settings: callback URL <tunnel URL>/webhook, verify token
     MESSENGER_VERIFY_TOKEN from your .env; subscribe the Page to the fields the README's Deploy
     section lists (messages and messaging_postbacks at least).
  3. Message your Page from Messenger, with an account that has a role on the app (in development mode).
Links the bot sends (consent pages, the sandbox bank) open on this machine: ${urls.api}, ${urls.bank}.

Stage ${STAGE}, real Graph API. Ctrl-C stops everything.`;
}

main().catch((error: unknown) => {
  console.error('Could not start the local stack:', error instanceof Error ? error.message : error);
  void stopAll(1);
});
