/**
 * moto in server mode on a free loopback port: the AWS the deploy check deploys to. Its gaps are
 * worked around here, never in serverless.yml.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from '../../dev/ports';
import { tail } from './processes';

/**
 * moto's gap 1: its ValidateTemplate runs cfn-lint and refuses the template on the first finding
 * of any level, warnings included (W3005 on osls's own DependsOn, W8003 on a stage's empty
 * alarmEmail). CloudFormation's ValidateTemplate checks the template's syntax and accepts both.
 * osls calls ValidateTemplate before every deploy, so the server moto runs here refuses on
 * cfn-lint errors only; the check's lint step has already held the template to stricter rules
 * (every warning fixed or justified in .cfnlintrc.yaml).
 */
export const MOTO_SERVER_MAIN = `
import sys
from moto.cloudformation import models, utils

def errors_only(self, template):
    return [match for match in utils.validate_template_cfn_lint(template) if match.rule.id.startswith("E")]

models.CloudFormationBackend.validate_template = errors_only
from moto.server import main
main(sys.argv[1:])
`;

export interface MotoServer {
  endpoint: string;
  pid: number;
  /** What moto printed (its warnings name the resource types it skipped). */
  output(): string;
  stop(): Promise<void>;
}

const READY_WITHIN_MS = 30_000;

export async function startMotoServer(python: string): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // Its own process group, so that stopping it (by its pid) also ends anything it started.
  const child = spawn(python, ['-c', MOTO_SERVER_MAIN, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Never leave the mock running when the check itself dies.
  const killOnExit = () => signalGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitUntilAnswering(endpoint, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, pid: child.pid!, output: () => output, stop };
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + READY_WITHIN_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}) while starting:\n${tail(output())}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await delay(200);
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${READY_WITHIN_MS / 1000} s:\n${tail(output())}`);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
