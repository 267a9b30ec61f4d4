import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../dev/ports';
import { samples } from '../../dev/samples';
import { projectRoot } from '../../dev/serverless-config';

/** `npm run invoke` and `npm run say` as a person runs them, with the environment given over .env.example's. */
async function run(script: 'invoke' | 'say', args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', `dev/${script}.ts`, ...args], {
      cwd: projectRoot,
      env: { ...process.env, ...env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run invoke', () => {
  it('without arguments, lists every sample and marks those that need npm start running', async () => {
    const { code, stdout } = await run('invoke', []);

    expect(code).toBe(0);
    for (const sample of samples) {
      const line = stdout.split('\n').find((l) => l.includes(`npm run invoke -- ${sample.functionName} ${sample.file} `));
      expect(line, sample.file).toMatch(sample.needsStack ? /^\* / : /^ {2}/);
    }
    expect(stdout).toContain('* needs `npm start` running');
  });

  it('when a sample needs the stack and it is not running, says what npm run say says and runs nothing', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const sample = samples.find((s) => s.functionName === 'conversation')!;

    const invoked = await run('invoke', [sample.functionName, sample.file], { DYNAMODB_ENDPOINT: closed });
    const said = await run('say', ['hello'], { WEBHOOK_URL: `${closed}/webhook`, GRAPH_API_URL: `${closed}/v25.0` });

    expect([invoked.code, said.code]).toEqual([1, 1]);
    expect(invoked.stderr).toContain(`nothing answers at ${closed}`);
    expect(invoked.stderr.replace(closed, '<url>')).toBe(said.stderr.replace(`${closed}/webhook`, '<url>'));
    // The conversation function was not run: it would have logged its failed record.
    expect(invoked.stdout).toBe('');
  });
});
