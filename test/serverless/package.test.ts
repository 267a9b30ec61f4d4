import { execFile } from 'node:child_process';
import JSZip from 'jszip';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../dev/serverless-config';

/**
 * `osls package` smoke check: the service packages with no AWS account or credentials, and the
 * CloudFormation template it produces has what an operator relies on.
 */
/** Budgets for each function's minified bundle (what a cold start parses); the README quotes them. */
export const bundleBudgets: Record<string, number> = {
  messengerWebhook: 768 * 1024,
  conversation: 768 * 1024,
  // These call the bank: the official plaid SDK (with axios) alone is ~750 KiB minified.
  consentExpiry: 768 * 1024,
  syncScheduler: 768 * 1024,
  syncWorker: 1_600 * 1024,
  bankWebhook: 1_600 * 1024,
  consent: 1_600 * 1024,
  consentEffects: 1_600 * 1024,
};

type Resource = { Type: string; Properties: Record<string, unknown> };
let template: { Resources: Record<string, Resource> };
let dir: string;

const resourcesOf = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);
const resource = (name: string) => {
  const found = template.Resources[name];
  if (!found) throw new Error(`template has no ${name}`);
  return found.Properties;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sls-package-'));
  const env = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'no-such-profile' };
  await promisify(execFile)(process.execPath, [join(projectRoot, 'node_modules/osls/bin/serverless.js'), 'package', '--stage', 'ci', '--package', dir], {
    cwd: projectRoot,
    env,
    timeout: 170_000,
  });
  template = JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'));
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('osls package', () => {
  it('defines the main table with pk/sk, the due-sync GSI, TTL, a new-and-old-images stream, PITR and encryption', () => {
    const main = resource('MainTable');
    expect(main.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(main.GlobalSecondaryIndexes).toEqual([expect.objectContaining({ IndexName: 'gsi1' })]);
    expect(main.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(main.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(main.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(main.SSESpecification).toMatchObject({ SSEEnabled: true });
  });

  it('defines the audit table with TTL, PITR and encryption: appended to and read, never updated or deleted', () => {
    const audit = resource('AuditTable');
    expect(audit.TimeToLiveSpecification).toMatchObject({ Enabled: true });
    expect(audit.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(audit.SSESpecification).toMatchObject({ SSEEnabled: true });
    const role = JSON.stringify(resource('IamRoleLambdaExecution'));
    const auditStatements = (JSON.parse(role).Policies as { PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] } }[])
      .flatMap((p) => p.PolicyDocument.Statement)
      .filter((s) => JSON.stringify(s.Resource).includes('AuditTable'));
    expect(auditStatements.flatMap((s) => s.Action).sort()).toEqual(['dynamodb:PutItem', 'dynamodb:Query']);
  });

  it('routes GET and POST /webhook to messengerWebhook', () => {
    const routes = resourcesOf('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
    expect(routes).toEqual(expect.arrayContaining(['GET /webhook', 'POST /webhook', 'POST /bank/webhook']));
  });

  const mapping = (fn: string) => {
    const found = resourcesOf('AWS::Lambda::EventSourceMapping').find(([name]) => name.startsWith(fn));
    if (!found) throw new Error(`no event source mapping for ${fn}`);
    return found[1].Properties;
  };
  const filterOf = (props: Record<string, unknown>) =>
    (props.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) => JSON.parse(f.Pattern));

  it.each([
    ['Conversation', 'ConversationDLQ', { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['inbox'] } } } }],
    ['ConsentEffects', 'ConsentEffectsDLQ', { eventName: ['MODIFY'], dynamodb: { NewImage: { type: { S: ['consent'] } } } }],
  ])('feeds %s from the stream: filtered, partial failures, bisect, bounded retries, a DLQ', (fn, dlq, filter) => {
    const props = mapping(fn);
    expect(props.EventSourceArn).toEqual({ 'Fn::GetAtt': ['MainTable', 'StreamArn'] });
    expect(props.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(props.BisectBatchOnFunctionError).toBe(true);
    expect(props.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(props.MaximumRetryAttempts).toBeLessThanOrEqual(10);
    expect(props.DestinationConfig).toEqual({ OnFailure: { Destination: { 'Fn::GetAtt': [dlq, 'Arn'] } } });
    expect(filterOf(props)).toEqual([filter]);
    expect(resource(dlq).MessageRetentionPeriod).toBe(1_209_600);
  });

  it('seals bank tokens with a rotating customer-managed KMS key, usable only with the token encryption context', () => {
    expect(resource('BankTokenKey').EnableKeyRotation).toBe(true);
    const statements = (resource('IamRoleLambdaExecution').Policies as { PolicyDocument: { Statement: { Action: string[]; Resource: unknown; Condition?: unknown }[] } }[])
      .flatMap((p) => p.PolicyDocument.Statement)
      .filter((s) => s.Action.some((a) => a.startsWith('kms:')));
    expect(statements).toHaveLength(1);
    expect(statements[0]!.Resource).toEqual([{ 'Fn::GetAtt': ['BankTokenKey', 'Arn'] }]);
    expect(JSON.stringify(statements[0]!.Condition)).toContain('bank-access-token');
  });

  it('feeds the sync worker from its queue with bounded concurrency and partial failures; failing messages end in a DLQ', () => {
    const props = mapping('SyncWorker');
    expect(props.EventSourceArn).toEqual({ 'Fn::GetAtt': ['SyncQueue', 'Arn'] });
    expect(props.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(props.ScalingConfig).toEqual({ MaximumConcurrency: expect.any(Number) });
    expect(props.BatchSize).toBe(10);
    const queue = resource('SyncQueue');
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': ['SyncDLQ', 'Arn'] }, maxReceiveCount: 5 });
    // Visibility well above the worker's timeout, so a message is not redelivered while in work.
    expect(Number(queue.VisibilityTimeout)).toBeGreaterThanOrEqual(6 * Number(template.Resources.SyncWorkerLambdaFunction!.Properties.Timeout));
  });

  it('runs the schedules with a retry policy and a DLQ, and bounded retries of their invocations', () => {
    const rules = resourcesOf('AWS::Events::Rule');
    expect(rules.map(([name]) => name).sort()).toEqual(['ConsentExpiryEventsRuleSchedule1', 'SyncSchedulerEventsRuleSchedule1']);
    for (const [, rule] of rules) {
      const [target] = rule.Properties.Targets as { RetryPolicy?: { MaximumRetryAttempts: number }; DeadLetterConfig?: unknown; Arn: unknown }[];
      expect(target?.RetryPolicy?.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(target?.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': ['ScheduleDLQ', 'Arn'] } });
    }
    const invokeConfig = resourcesOf('AWS::Lambda::EventInvokeConfig').map(([, r]) => r.Properties);
    expect(invokeConfig).toContainEqual(expect.objectContaining({ MaximumRetryAttempts: 2 }));
  });

  it('routes the consent pages to the consent function', () => {
    const routes = resourcesOf('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
    expect(routes).toEqual(expect.arrayContaining(['GET /consent', 'POST /consent', 'GET /link/complete', 'GET /consent/manage', 'POST /consent/revoke', 'POST /consent/scopes', 'GET /consent/export', 'GET /link/reconnect', 'GET /link/reconnected']));
  });

  it('runs every function on nodejs22.x, arm64, with source maps', () => {
    const functions = resourcesOf('AWS::Lambda::Function');
    expect(functions.map(([name]) => name).sort()).toEqual([
      'BankWebhookLambdaFunction',
      'ConsentEffectsLambdaFunction',
      'ConsentExpiryLambdaFunction',
      'ConsentLambdaFunction',
      'ConversationLambdaFunction',
      'MessengerWebhookLambdaFunction',
      'SyncSchedulerLambdaFunction',
      'SyncWorkerLambdaFunction',
    ]);
    for (const [, fn] of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect((fn.Properties.Environment as { Variables: Record<string, string> }).Variables.NODE_OPTIONS).toContain('--enable-source-maps');
      expect((fn.Properties.Environment as { Variables: Record<string, string> }).Variables.SECRETS_SOURCE).toBe('ssm');
    }
  });

  it('keeps no secret in the template', () => {
    const text = JSON.stringify(template);
    for (const name of ['MESSENGER_APP_SECRET', 'MESSENGER_VERIFY_TOKEN', 'MESSENGER_PAGE_ACCESS_TOKEN', 'CONSENT_LINK_SECRET', 'PLAID_SECRET', 'LOCAL_MASTER_KEY']) {
      expect(text).not.toContain(`"${name}"`);
    }
    expect(text).not.toContain('local-app-secret');
  });

  it('packages each function on its own: one minified ESM bundle and its source map, within budget', async () => {
    for (const [name, budget] of Object.entries(bundleBudgets)) {
      const zip = await JSZip.loadAsync(readFileSync(join(dir, `${name}.zip`)));
      const files = Object.keys(zip.files).filter((f) => !zip.files[f]!.dir);
      const bundle = files.find((f) => f.endsWith('.mjs'));
      expect(files.sort()).toEqual([bundle, `${bundle}.map`]);
      const size = (await zip.file(bundle!)!.async('uint8array')).length;
      console.log(`bundle ${name}: ${(size / 1024).toFixed(0)} KiB of JavaScript (budget ${(budget / 1024).toFixed(0)} KiB)`);
      expect(size).toBeLessThan(budget);
    }
  });
});
