/**
 * osls, run as an operator would (`osls package`, `osls deploy`), but from a service folder of the
 * check's own and with AWS pointed at the mock.
 */
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { devNull } from 'node:os';
import { join } from 'node:path';
import { runCommand, tail } from './processes';

export const STAGE = 'prod';
export const SERVICE = 'messenger-banking';

/**
 * What a build reads from the project. osls works inside its service folder (`.serverless`, and
 * serverless-esbuild's `.esbuild`) and empties those folders when it is done: from a folder of its
 * own, the check neither collides with a `osls package` or `npm start` running in the project nor
 * removes their files. serverless.yml is copied (osls does not take a linked one), the rest linked.
 */
export const SERVICE_FILES = { copied: ['serverless.yml'], linked: ['package.json', 'tsconfig.json', 'functions', 'lib', 'node_modules'] } as const;

export function stageServiceFolder(projectRoot: string, folder: string): string {
  mkdirSync(folder, { recursive: true });
  for (const name of SERVICE_FILES.copied) copyFileSync(join(projectRoot, name), join(folder, name));
  for (const name of SERVICE_FILES.linked) symlinkSync(join(projectRoot, name), join(folder, name));
  return folder;
}

export const packageArgs = (packageDir: string) => ['package', '--stage', STAGE, '--package', packageDir];
export const deployArgs = (packageDir: string) => ['deploy', '--stage', STAGE, '--package', packageDir, '--verbose'];

/**
 * The environment of everything that talks to AWS in the check. Whatever this machine's user has
 * configured (AWS_* variables, a profile, ~/.aws files, an instance role) is left out, so nothing
 * can reach a real account: the SDK (v3, in osls and in the bundles) takes every service's endpoint
 * from AWS_ENDPOINT_URL, and the credentials are dummies moto accepts.
 */
export function mockAwsEnv(base: NodeJS.ProcessEnv, endpoint: string | undefined, region: string): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(Object.entries(base).filter(([name]) => !/^AWS_/i.test(name)));
  return {
    ...kept,
    ...(endpoint ? { AWS_ENDPOINT_URL: endpoint } : {}),
    AWS_ACCESS_KEY_ID: 'deploy-check',
    AWS_SECRET_ACCESS_KEY: 'deploy-check',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: devNull,
    AWS_SHARED_CREDENTIALS_FILE: devNull,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

export async function runOsls(serviceFolder: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  const bin = join(serviceFolder, 'node_modules/osls/bin/serverless.js');
  const { code, output } = await runCommand(process.execPath, [bin, ...args], { cwd: serviceFolder, env, timeoutMs });
  if (code !== 0) throw new Error(`osls ${args.join(' ')} failed (${code}):\n${tail(output)}`);
  return output;
}
