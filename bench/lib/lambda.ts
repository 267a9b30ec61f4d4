import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';

/** What the Lambda runtime hands a handler besides the event. */
/** A fresh context per invocation: middy times out early against getRemainingTimeInMillis. */
export function lambdaContext(functionName: string, memoryMB = 512, timeoutMs = 120_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memoryMB),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export type Handler<E = unknown, R = unknown> = (event: E, context: Context) => Promise<R>;

let instances = 0;

/**
 * Loads a bundle as a new Lambda container would: a fresh module instance (its own SDK clients,
 * config and caches), with `env` in process.env. Bundles read their configuration once, at
 * init, so a later load with other endpoints does not change an earlier one; secrets are read
 * from the environment on first use, and are the same for every bundle of a run.
 */
export async function loadBundle<E, R>(file: string, env: Record<string, string>): Promise<Handler<E, R>> {
  Object.assign(process.env, env);
  const module = (await import(`${pathToFileURL(file).href}?instance=${++instances}`)) as { handler: Handler<E, R> };
  return module.handler;
}

/**
 * The handlers log to stdout as they do in Lambda (Powertools JSON). The benchmark counts those
 * bytes (CloudWatch Logs ingestion is billed by the byte) and keeps them off the terminal; the
 * benchmark's own output goes to stderr.
 */
export const logBytes = { count: 0 };
export function captureHandlerLogs(): void {
  const swallow = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    logBytes.count += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = swallow;
}

export const say = (...parts: unknown[]) => process.stderr.write(parts.map(String).join(' ') + '\n');
