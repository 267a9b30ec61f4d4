/**
 * `npm run deploy [-- --stage prod --region eu-west-1 …]`: says which account, stage and region it
 * deploys to, and refuses before building anything when there are no usable AWS credentials; then
 * runs `osls deploy` with the same arguments (stage and region made explicit).
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot, readServerlessConfig } from '../dev/serverless-config';
import { deployTarget, oslsDeployArgs, type DeployTarget } from './deploy-target';

const IDENTITY_TIMEOUT_MS = 10_000;

/** `aws sts get-caller-identity`, bounded: finding credentials (a profile, SSO, an instance role) included. */
async function callerIdentity(target: DeployTarget) {
  const sts = new STSClient({ region: target.region, maxAttempts: 2, ...(target.profile ? { profile: target.profile } : {}) });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from STS in ${target.region} within ${IDENTITY_TIMEOUT_MS / 1000} s`)), IDENTITY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([sts.send(new GetCallerIdentityCommand({}), { abortSignal: AbortSignal.timeout(IDENTITY_TIMEOUT_MS) }), timeout]);
  } finally {
    clearTimeout(timer);
    sts.destroy();
  }
}

function refuse(target: DeployTarget, error: unknown): never {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(
    [
      `Could not confirm AWS credentials (sts:GetCallerIdentity) for stage ${target.stage} in ${target.region}${target.profile ? `, profile ${target.profile}` : ''}: nothing was built or deployed.`,
      `  ${reason}`,
      'Give osls credentials the AWS SDK finds: `aws configure` or `aws sso login` (then AWS_PROFILE=<profile> or',
      '--aws-profile <profile>), or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) in the environment.',
    ].join('\n'),
  );
  process.exit(1);
}

async function main() {
  const args = process.argv.slice(2);
  const provider = (readServerlessConfig() as { provider: { stage?: unknown; region?: unknown } }).provider;
  const target = deployTarget(args, provider);
  const identity = await callerIdentity(target).catch((error: unknown) => refuse(target, error));
  console.log(
    [
      `Deploying stage ${target.stage}${target.stageIsDefault ? ' (the default; choose one with --stage <name>)' : ''}`,
      `  region  ${target.region}${target.regionIsDefault ? ' (the default; choose one with --region <name>)' : ''}`,
      `  account ${identity.Account} as ${identity.Arn}`,
      '',
    ].join('\n'),
  );
  const osls = spawn(process.execPath, [join(projectRoot, 'node_modules/osls/bin/serverless.js'), ...oslsDeployArgs(args, target)], { cwd: projectRoot, stdio: 'inherit' });
  // Ctrl-C reaches osls directly (same terminal); wait for it to wind down rather than die first.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => osls.kill('SIGTERM'));
  osls.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
