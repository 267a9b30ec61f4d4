/** A deployed function's bundle, unpacked and run once with the environment its stack gave it. */
import JSZip from 'jszip';
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mockAwsEnv } from './osls';
import { tail } from './processes';

const RUNNER = fileURLToPath(new URL('./invoke-bundle.mjs', import.meta.url));

/** Writes the zip's files under `folder`; returns their paths inside the zip. */
export async function unpack(zip: Uint8Array, folder: string): Promise<string[]> {
  const archive = await JSZip.loadAsync(zip);
  const files = Object.values(archive.files).filter((entry) => !entry.dir);
  for (const entry of files) {
    const target = join(folder, entry.name);
    // A bundle is our own build, but a path out of the folder is refused all the same.
    if (!target.startsWith(`${folder}/`)) throw new Error(`refusing ${entry.name}: outside the bundle folder`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, await entry.async('uint8array'));
  }
  return files.map((entry) => entry.name);
}

/**
 * What the function's process sees: the variables the stack set on it, those Lambda adds, dummy
 * credentials, and AWS_ENDPOINT_URL, which the SDK in the bundle honours for every service (SSM
 * for the secrets, DynamoDB for the table). The stack's own DYNAMODB_ENDPOINT stays as deployed
 * (empty), so the store's client is built as in AWS.
 */
export function functionEnv(input: { variables: Record<string, string>; functionName: string; memorySize: number; region: string; endpoint: string }): NodeJS.ProcessEnv {
  return {
    ...input.variables,
    ...mockAwsEnv({}, input.endpoint, input.region),
    AWS_LAMBDA_FUNCTION_NAME: input.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(input.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  };
}

export interface Invocation {
  result: unknown;
  /** What the function logged (shown if the check fails). */
  logs: string;
}

export function invokeBundle(entry: { file: string; exportName: string }, env: NodeJS.ProcessEnv, event: unknown, timeoutMs = 30_000): Promise<Invocation> {
  return new Promise((resolve, reject) => {
    const child = fork(RUNNER, [entry.file, entry.exportName], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [] });
    let logs = '';
    let answer: { result?: unknown; error?: string } | undefined;
    const keep = (chunk: Buffer) => (logs += chunk.toString());
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('message', (message) => (answer = message as typeof answer));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (answer && !answer.error) resolve({ result: answer.result, logs });
      else reject(new Error(`the handler ${answer?.error ? `threw ${answer.error}` : `exited (${code}) without an answer`}:\n${tail(logs)}`));
    });
    child.send(event as object);
  });
}
