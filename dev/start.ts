/**
 * `npm start`: the whole product on this machine, on embedded defaults (see dev/local-stack.ts),
 * on the ports the README and .env.example name. Ctrl-C stops all of it.
 */
import { loadLocalEnv } from './env';
import { startLocalStack, STAGE, type LocalStack } from './local-stack';
import { projectRoot } from './serverless-config';

const envFile = loadLocalEnv();
const env = process.env as Record<string, string>;
const portOf = (url: string | undefined) => (url ? Number(new URL(url).port) || undefined : undefined);

let stack: LocalStack | undefined;
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
  stack = await startLocalStack({
    ports: {
      http: portOf(env.PUBLIC_BASE_URL) ?? 3000,
      lambda: 3002,
      dynamodb: portOf(env.DYNAMODB_ENDPOINT),
      graph: portOf(env.GRAPH_API_URL),
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
  });
  const { urls } = stack;
  console.log(`
Open the Messenger simulator: ${urls.simulator}
  chat as a test person, link a bank, ask "what's my balance?", post a transaction at the bank.

Or from a terminal:
  npm run say -- "hello"                      # sign and post a message as a test person, print the reply
  npm run say -- "link my bank"               # then open the link it prints: consent page → sandbox bank
  npm run say -- "stop sharing"               # revoke (one confirmation), and see what was deleted
  curl "${urls.api}/webhook?hub.mode=subscribe&hub.verify_token=${env.MESSENGER_VERIFY_TOKEN}&hub.challenge=42"

Stage ${STAGE}. Ctrl-C stops everything.`);
}

main().catch((error: unknown) => {
  console.error('Could not start the local stack:', error instanceof Error ? error.message : error);
  void stopAll(1);
});
