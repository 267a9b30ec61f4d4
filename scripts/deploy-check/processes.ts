import { spawn, type ChildProcess } from 'node:child_process';

/** Children of the check still running: stopped (by their own pid) if the check is interrupted. */
const running = new Set<ChildProcess>();

export interface CommandResult {
  code: number;
  /** stdout and stderr together, in arrival order. */
  output: string;
}

/** Runs a command to its end with its output kept (shown only if a step fails). */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let output = '';
    const keep = (chunk: Buffer) => (output += chunk.toString());
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.slice(0, 3).join(' ')}… did not finish within ${options.timeoutMs / 1000} s:\n${tail(output)}`));
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code: code ?? (signal ? 128 : 1), output });
    });
  });
}

/** Ends what the check started and is still running (on Ctrl-C or a CI timeout). */
export function stopRunningCommands() {
  for (const child of running) child.kill('SIGTERM');
}

/** The end of a long output, enough to see why a tool failed. */
export const tail = (output: string, lines = 40) => output.trimEnd().split('\n').slice(-lines).join('\n');
