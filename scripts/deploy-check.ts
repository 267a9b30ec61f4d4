/**
 * `npm run deploy:check`: the deploy, proven without an AWS account.
 *
 *   1. `osls package --stage prod`, as an operator's deploy builds it;
 *   2. cfn-lint on the packaged templates (errors fail; so does any warning .cfnlintrc.yaml does
 *      not ignore with its reason);
 *   3. `osls deploy --stage prod` of that package to moto_server (a local AWS mock) on a free
 *      loopback port, with dummy credentials;
 *   4. the deployed messengerWebhook bundle, taken from the mock's deployment bucket, run with the
 *      environment the stack gave the function and its secrets in the mock's SSM: it answers
 *      Meta's subscription handshake, refuses a delivery signed with another secret, and records
 *      a signed one as an inbox item in the mock's table.
 *
 * Needs cfn-lint and moto[server] in a Python 3 (see python.ts). Stops the mock and removes its
 * temporary files however it ends.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { httpApiEvent, metaJson, signedWebhookEvent, textMessage, webhookBody } from '../dev/messenger-payloads';
import { projectRoot, readServerlessConfig } from '../dev/serverless-config';
import { inboxSk, userPk } from '../lib/store/keys';
import { functionEnv, invokeBundle, unpack } from './deploy-check/bundle';
import { downloadObject, itemType, mockAwsClients, putSecrets, readDeployedStack, readFunction, type DeployedStack, type MockAws } from './deploy-check/mock-aws';
import { startMotoServer, type MotoServer } from './deploy-check/moto';
import { deployArgs, mockAwsEnv, packageArgs, runOsls, SERVICE, stageServiceFolder, STAGE } from './deploy-check/osls';
import { runCommand, stopRunningCommands, tail } from './deploy-check/processes';
import { cfnLintArgs, findPythonTools, MissingTools, type PythonTools } from './deploy-check/python';
import { declaredDependsOn, describeSkipped, functionCodeKey, handlerEntry, summariseDeploy, type Template } from './deploy-check/template';
import { variableDefault } from './deploy-target';

const WEBHOOK = 'messengerWebhook';
const LINT_CONFIG = join(projectRoot, '.cfnlintrc.yaml');
const TEMPLATES = ['cloudformation-template-create-stack.json', 'cloudformation-template-update-stack.json'];

class CheckFailed extends Error {
  override readonly name = 'CheckFailed';
}

// ── Output: one line per step, with its timing ────────────────────────────────────────────────

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const interactive = process.stdout.isTTY === true;

/** Runs one step; prints `✔ <title> <time>  <what it found>` (continuation lines indented). */
async function step<T>(title: string, run: () => Promise<T>, describe: (value: T) => string): Promise<T> {
  const started = Date.now();
  const line = (mark: string, text = '') =>
    `${mark} ${title.padEnd(9)} ${seconds(Date.now() - started).padStart(7)}  ${text.split('\n').join(`\n${' '.repeat(22)}`)}`;
  if (interactive) process.stdout.write(`… ${title}`);
  const clear = () => interactive && process.stdout.write('\r\x1b[K');
  try {
    const value = await run();
    clear();
    console.log(line('✔', describe(value)));
    return value;
  } catch (error) {
    clear();
    console.log(line('✖'));
    throw error;
  }
}

// ── What runs at the end, however the check ends ──────────────────────────────────────────────

const cleanups: (() => Promise<void> | void)[] = [];
async function cleanUp() {
  stopRunningCommands();
  for (const run of cleanups.splice(0).reverse()) {
    try {
      await run();
    } catch (error) {
      console.error(`  while cleaning up: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the deploy check.`);
    void cleanUp().then(() => process.exit(130));
  });
}

// ── The steps ─────────────────────────────────────────────────────────────────────────────────

function packageStage(work: string, region: string) {
  return step(
    'Package',
    async () => {
      const service = stageServiceFolder(projectRoot, join(work, 'service'));
      const packageDir = join(work, 'package');
      // No endpoint at all: packaging must not need AWS.
      await runOsls(service, packageArgs(packageDir), mockAwsEnv(process.env, undefined, region), 240_000);
      const template = JSON.parse(readFileSync(join(packageDir, TEMPLATES[1]!), 'utf8')) as Template;
      return { service, packageDir, template, bundles: readdirSync(packageDir).filter((f) => f.endsWith('.zip')).length };
    },
    ({ template, bundles }) => `osls ${packageArgs('…').slice(0, 3).join(' ')}: ${Object.keys(template.Resources).length} resources, ${bundles} bundles`,
  );
}

function lint(tools: PythonTools, packageDir: string) {
  return step(
    'Lint',
    async () => {
      const ownDependsOn = declaredDependsOn((readServerlessConfig() as { resources?: { Resources?: Record<string, { DependsOn?: unknown }> } }).resources?.Resources);
      if (ownDependsOn.length > 0) {
        throw new CheckFailed(`serverless.yml declares DependsOn on ${ownDependsOn.join(', ')}: .cfnlintrc.yaml ignores W3005 only because osls writes every DependsOn; remove it or revisit that ignore.`);
      }
      const { code, output } = await runCommand(tools.python, cfnLintArgs(LINT_CONFIG, TEMPLATES.map((t) => join(packageDir, t))), { cwd: projectRoot, timeoutMs: 120_000 });
      if (code !== 0) throw new CheckFailed(`cfn-lint found what must be fixed, or justified in .cfnlintrc.yaml (exit ${code}):\n${output.trim()}`);
    },
    () => `cfn-lint ${tools.cfnLint}: no errors, no warnings beyond the ones .cfnlintrc.yaml justifies`,
  );
}

async function deploy(service: string, packageDir: string, moto: MotoServer, region: string, aws: MockAws) {
  return step(
    'Deploy',
    async () => {
      try {
        await runOsls(service, deployArgs(packageDir), mockAwsEnv(process.env, moto.endpoint, region), 240_000);
      } catch (error) {
        // The mock's side of a refused call (its log names the operation and the reason).
        throw new CheckFailed(`${error instanceof Error ? error.message : String(error)}\n\nmoto_server's log ends:\n${tail(moto.output(), 30)}`);
      }
      const stack = await readDeployedStack(aws, `${SERVICE}-${STAGE}`);
      if (!/_COMPLETE$/.test(stack.status) || /ROLLBACK/.test(stack.status)) throw new CheckFailed(`the stack ended ${stack.status}`);
      const summary = summariseDeploy(stack.template, stack.physicalIds.keys());
      if (summary.missing.length > 0) {
        throw new CheckFailed(`moto did not create ${summary.missing.join(', ')}; if moto's CloudFormation does not implement that type, add it to MOTO_SKIPPED_TYPES (scripts/deploy-check/template.ts) with why`);
      }
      return { stack, summary };
    },
    ({ stack, summary }) =>
      [
        `osls deploy --stage ${STAGE} → ${stack.status}, ${summary.created} resources created`,
        `not implemented by moto's CloudFormation, so not created (cfn-lint checked them): ${describeSkipped(summary.skipped)}`,
        ...(summary.conditional.length ? [`condition not met: ${summary.conditional.join(', ')}`] : []),
      ].join('\n'),
  );
}

type WebhookBundle = Awaited<ReturnType<typeof fetchWebhookBundle>>;

/** The webhook's zip, from the deployment bucket at the key CloudFormation deployed it from. */
async function fetchWebhookBundle(aws: MockAws, stack: DeployedStack, folder: string) {
  const bucket = stack.physicalIds.get('ServerlessDeploymentBucket');
  if (!bucket) throw new CheckFailed('the stack has no deployment bucket');
  const key = functionCodeKey(stack.template, WEBHOOK);
  const files = await unpack(await downloadObject(aws, bucket, key), folder);
  const functionName = `${SERVICE}-${STAGE}-${WEBHOOK}`;
  const deployed = await readFunction(aws, functionName);
  const entry = handlerEntry(deployed.handler, files);
  return { source: `s3://${bucket}/${key}`, functionName, deployed, handlerFile: entry.file, entry: { ...entry, file: join(folder, entry.file) } };
}

/**
 * What Meta sends, answered by the deployed bundle with its secrets from the mock's SSM: the
 * subscription handshake, a delivery signed with another secret (refused, nothing stored) and a
 * signed one (acknowledged, and its inbox item is in the mock's table).
 */
async function proveWebhook(
  aws: MockAws,
  stack: DeployedStack,
  bundle: WebhookBundle,
  input: { region: string; endpoint: string; secrets: Record<'MESSENGER_APP_SECRET' | 'MESSENGER_VERIFY_TOKEN', string> },
): Promise<string[]> {
  const env = functionEnv({ variables: bundle.deployed.variables, functionName: bundle.functionName, memorySize: bundle.deployed.memorySize, region: input.region, endpoint: input.endpoint });
  const invoke = async (event: unknown) => {
    const { result, logs } = await invokeBundle(bundle.entry, env, event);
    const response = result as { statusCode?: number; body?: string } | null;
    return { status: response?.statusCode, body: response?.body, logs };
  };
  const table = stack.physicalIds.get('MainTable');
  if (!table) throw new CheckFailed('the stack has no MainTable');
  const person = { psid: '5500000000000042', pageId: '100000000000001' };
  const delivery = (text: string) => {
    const message = textMessage(person, text);
    return { key: { pk: userPk(person.psid), sk: inboxSk(message.message.mid) }, raw: metaJson(webhookBody([{ pageId: person.pageId, messaging: [message] }])) };
  };

  const handshake = await invoke(httpApiEvent({ method: 'GET', query: { 'hub.mode': 'subscribe', 'hub.verify_token': input.secrets.MESSENGER_VERIFY_TOKEN, 'hub.challenge': '1158201444' } }));
  if (handshake.status !== 200 || handshake.body !== '1158201444') throw new CheckFailed(`the subscription handshake got ${handshake.status} ${handshake.body}:\n${tail(handshake.logs)}`);

  const forged = delivery('signed with another secret');
  const refused = await invoke(signedWebhookEvent(forged.raw, 'not-the-app-secret'));
  if (refused.status !== 401) throw new CheckFailed(`a delivery signed with another secret got ${refused.status}, not 401:\n${tail(refused.logs)}`);
  if (await itemType(aws, table, forged.key)) throw new CheckFailed('a refused delivery was recorded');

  const signed = delivery('hello from the deploy check');
  const accepted = await invoke(signedWebhookEvent(signed.raw, input.secrets.MESSENGER_APP_SECRET));
  if (accepted.status !== 200) throw new CheckFailed(`the signed delivery got ${accepted.status}, not 200:\n${tail(accepted.logs)}`);
  const type = await itemType(aws, table, signed.key);
  if (type !== 'inbox') throw new CheckFailed(`no inbox item ${signed.key.pk} ${signed.key.sk} in ${table} (found: ${type ?? 'nothing'}):\n${tail(accepted.logs)}`);

  return [
    `GET /webhook subscription handshake with the verify token from SSM → ${handshake.status}, challenge echoed`,
    `POST /webhook signed with another secret → ${refused.status}, nothing stored`,
    `POST /webhook signed with the app secret from SSM → ${accepted.status}, inbox item ${signed.key.pk} ${signed.key.sk} in ${table}`,
  ];
}

async function main() {
  const started = Date.now();
  // Lambda runs Node 24; the SDK's notice about a local Node 20 says nothing about the deploy.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const provider = (readServerlessConfig() as { provider: { region?: unknown } }).provider;
  const region = variableDefault(provider.region, 'region');
  console.log(`Deploy check: stage ${STAGE}, region ${region}, deployed to a local AWS mock (nothing leaves this machine)\n`);

  const tools = await step('Tools', () => findPythonTools(), (t) => `${t.python} (Python ${t.pythonVersion}): cfn-lint ${t.cfnLint}, moto ${t.moto}`);
  const work = mkdtempSync(join(tmpdir(), 'deploy-check-'));
  cleanups.push(() => rmSync(work, { recursive: true, force: true }));

  const { service, packageDir } = await packageStage(work, region);
  await lint(tools, packageDir);

  const moto = await step('Mock AWS', () => startMotoServer(tools.python), (m) => `moto_server on ${m.endpoint} (pid ${m.pid})`);
  cleanups.push(() => moto.stop());
  const aws = mockAwsClients(moto.endpoint, region);
  cleanups.push(() => aws.destroy());

  // What the webhook reads from SSM; fresh values, so a pass proves they were read there.
  const secrets = { MESSENGER_APP_SECRET: randomBytes(16).toString('hex'), MESSENGER_VERIFY_TOKEN: randomBytes(16).toString('hex') };
  await step('Secrets', () => putSecrets(aws, `/${SERVICE}/${STAGE}`, secrets), (names) => `SSM SecureStrings ${names.join(', ')}`);

  const { stack } = await deploy(service, packageDir, moto, region, aws);

  const bundle = await step('Bundle', () => fetchWebhookBundle(aws, stack, join(work, 'bundle')), (b) => `${b.source}\n→ ${b.handlerFile}, run with ${WEBHOOK}'s deployed environment`);
  await step('Invoke', () => proveWebhook(aws, stack, bundle, { region, endpoint: moto.endpoint, secrets }), (lines) => lines.join('\n'));

  console.log(`\nDeploy check passed in ${seconds(Date.now() - started)}.`);
}

main()
  .then(cleanUp)
  .catch(async (error: unknown) => {
    await cleanUp();
    if (error instanceof MissingTools) {
      console.error(`\n${error.message}`);
      process.exit(2);
    }
    console.error(`\nDeploy check failed: ${error instanceof Error ? (error instanceof CheckFailed ? error.message : (error.stack ?? error.message)) : String(error)}`);
    process.exit(1);
  });
