import { execFile } from 'node:child_process';
import JSZip from 'jszip';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../dev/serverless-config';
import { packagedAssetFiles } from '../../lib/charts/assets';
import { webhookKeysPk } from '../../lib/store/keys';

/**
 * `osls package` smoke check: the service packages with no AWS account or credentials, and the
 * CloudFormation template it produces has what an operator relies on.
 */
/** Budgets for each function's minified bundle (what a cold start parses); the README quotes them. */
export const bundleBudgets: Record<string, number> = {
  messengerWebhook: 768 * 1024,
  // The assistant: two languages' lexicon and replies, the SQS client for targeted refreshes, and
  // the understanding's data: the trained intent model (~140 KiB), the English and Spanish
  // real-word list (~80 KiB) and nlp.js's Spanish stemmer (~30 KiB); private mode's answers and
  // the recurring-payment answers with their words in both languages (~25 KiB), the picture queue.
  conversation: 1_120 * 1024,
  // These call the bank: the official plaid SDK (with axios) alone is ~750 KiB minified.
  consentExpiry: 768 * 1024,
  syncScheduler: 768 * 1024,
  syncWorker: 1_600 * 1024,
  bankWebhook: 1_600 * 1024,
  consent: 1_600 * 1024,
  consentEffects: 1_600 * 1024,
  // resvg's JavaScript side is small: its WebAssembly and the fonts are files beside the bundle
  // (budgeted below), read at init rather than parsed as JavaScript.
  spendingPicture: 768 * 1024,
};

/** Files a function's package carries beside its bundle, with their budget (the chart renderer's WebAssembly and fonts). */
const packagedAssets: Record<string, { files: string[]; budget: number }> = {
  spendingPicture: { files: packagedAssetFiles(), budget: 3_400 * 1024 },
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

type Statement = { Effect: string; Action: string[]; Resource: unknown[]; Condition?: unknown };
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const functionIds = () => resourcesOf('AWS::Lambda::Function').map(([id]) => id);
/** `SyncWorkerLambdaFunction` → `syncWorker`, the name serverless.yml gives it. */
const functionName = (id: string) => id.replace(/LambdaFunction$/, '').replace(/^./, (c) => c.toLowerCase());
const roleOf = (functionId: string) => {
  const role = resource(functionId).Role as { 'Fn::GetAtt'?: [string, string] };
  if (!role['Fn::GetAtt']) throw new Error(`${functionId} has no role of its own: ${JSON.stringify(role)}`);
  return role['Fn::GetAtt'][0];
};
const statementsOf = (roleId: string): Statement[] =>
  (resource(roleId).Policies as { PolicyDocument: { Statement: Statement[] } }[])
    .flatMap((p) => p.PolicyDocument.Statement)
    .map((s) => ({ ...s, Action: asList(s.Action), Resource: asList(s.Resource) }));
const allStatements = () => functionIds().flatMap((id) => statementsOf(roleOf(id)).map((statement) => ({ fn: functionName(id), statement })));
/**
 * What an IAM resource names, readably: `MainTable`, `MainTable.StreamArn`, `MainTable/index/gsi1`,
 * `ssm:MESSENGER_APP_SECRET`; undefined when it is not one named resource of this stack or one SSM parameter.
 */
const named = (r: unknown): string | undefined => {
  const ref = r as { 'Fn::GetAtt'?: [string, string]; 'Fn::Sub'?: string };
  if (ref['Fn::GetAtt']) {
    const [id, attribute] = ref['Fn::GetAtt'];
    if (!template.Resources[id]) return undefined;
    return attribute === 'Arn' ? id : `${id}.${attribute}`;
  }
  const sub = ref['Fn::Sub'];
  if (typeof sub !== 'string' || sub.includes('*')) return undefined;
  const index = /^\$\{(\w+)\.Arn\}(\/index\/\w+)$/.exec(sub);
  if (index && template.Resources[index[1]!]) return `${index[1]}${index[2]}`;
  const parameter = /^arn:\$\{AWS::Partition\}:ssm:\$\{AWS::Region\}:\$\{AWS::AccountId\}:parameter\/messenger-banking\/ci\/([A-Z_]+)$/.exec(sub);
  return parameter ? `ssm:${parameter[1]}` : undefined;
};

/** ` via dynamodb` for a statement that allows the key only through that service (kms:ViaService). */
const via = (statement: { Condition?: unknown }) => {
  const service = (statement.Condition as { StringEquals?: Record<string, string> } | undefined)?.StringEquals?.['kms:ViaService'];
  return service ? ` via ${service.split('.')[0]}` : '';
};

/** What a function's role grants besides its own log group, as `action target[ via service]`. */
const grantsOf = (functionId: string) =>
  statementsOf(roleOf(functionId))
    .filter((s) => !s.Action.some((a) => a.startsWith('logs:')))
    .flatMap((s) => s.Action.flatMap((action) => s.Resource.map((target) => `${action} ${named(target)}${via(s)}`)));

/** The access each function's code needs (derived from the handlers and what they call), and no more. */
const on = (target: string, ...actions: string[]) => actions.map((action) => `${action} ${target}`);
const secrets = (...names: string[]) => names.map((name) => `ssm:GetParameter ssm:${name}`);
const streamRead = on('MainTable.StreamArn', 'dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams');
const bankSecrets = ['PLAID_CLIENT_ID', 'PLAID_SECRET'];
/** The stack's key, used by DynamoDB or SQS on the function's behalf (the tables and the encrypted queues). */
const tablesKey = on('BankTokenKey via dynamodb', 'kms:Decrypt');
const sendKey = on('BankTokenKey via sqs', 'kms:GenerateDataKey', 'kms:Decrypt');
const receiveKey = on('BankTokenKey via sqs', 'kms:Decrypt');
const expectedAccess: Record<string, string[]> = {
  messengerWebhook: [...secrets('MESSENGER_APP_SECRET', 'MESSENGER_VERIFY_TOKEN'), ...on('MainTable', 'dynamodb:PutItem'), ...tablesKey],
  conversation: [
    ...secrets('MESSENGER_PAGE_ACCESS_TOKEN', 'CONSENT_LINK_SECRET'),
    ...streamRead,
    ...on('ConversationDLQ', 'sqs:SendMessage'),
    ...on('SyncQueue', 'sqs:SendMessage'),
    ...on('PictureQueue', 'sqs:SendMessage'),
    ...on('MainTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'),
    ...on('AuditTable', 'dynamodb:PutItem', 'dynamodb:Query'),
    ...tablesKey,
    ...sendKey,
  ],
  consent: [
    ...secrets('MESSENGER_PAGE_ACCESS_TOKEN', 'CONSENT_LINK_SECRET', ...bankSecrets),
    ...on('MainTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'),
    ...on('AuditTable', 'dynamodb:PutItem', 'dynamodb:Query'),
    ...tablesKey,
    ...on('BankTokenKey', 'kms:GenerateDataKey', 'kms:Decrypt'),
  ],
  consentEffects: [
    // CONSENT_LINK_SECRET: the private page link of the "linked" message (private mode).
    ...secrets('MESSENGER_PAGE_ACCESS_TOKEN', ...bankSecrets, 'CONSENT_LINK_SECRET'),
    ...streamRead,
    ...on('ConsentEffectsDLQ', 'sqs:SendMessage'),
    ...on('SyncQueue', 'sqs:SendMessage'),
    ...on('MainTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem'),
    ...on('AuditTable', 'dynamodb:PutItem'),
    ...tablesKey,
    ...sendKey,
    ...on('BankTokenKey', 'kms:Decrypt'),
  ],
  consentExpiry: [
    ...secrets('MESSENGER_PAGE_ACCESS_TOKEN'),
    ...on('ScheduleDLQ', 'sqs:SendMessage'),
    ...on('MainTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'),
    ...on('MainTable/index/gsi1', 'dynamodb:Query'),
    ...on('AuditTable', 'dynamodb:PutItem'),
    ...tablesKey,
    ...sendKey,
  ],
  bankWebhook: [
    ...secrets('MESSENGER_PAGE_ACCESS_TOKEN', 'CONSENT_LINK_SECRET', ...bankSecrets),
    ...on('SyncQueue', 'sqs:SendMessage'),
    ...on('MainTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'),
    ...on('AuditTable', 'dynamodb:PutItem'),
    ...tablesKey,
    ...sendKey,
  ],
  syncScheduler: [...on('ScheduleDLQ', 'sqs:SendMessage'), ...on('MainTable/index/gsi1', 'dynamodb:Query'), ...on('SyncQueue', 'sqs:SendMessage'), ...tablesKey, ...sendKey],
  syncWorker: [
    ...secrets('MESSENGER_PAGE_ACCESS_TOKEN', 'CONSENT_LINK_SECRET', ...bankSecrets),
    ...on('SyncQueue', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'),
    ...on('MainTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'),
    ...on('AuditTable', 'dynamodb:PutItem'),
    ...tablesKey,
    ...receiveKey,
    ...on('BankTokenKey', 'kms:Decrypt'),
  ],
  spendingPicture: [
    // CONSENT_LINK_SECRET: the private page link of a picture in private mode.
    ...secrets('MESSENGER_PAGE_ACCESS_TOKEN', 'CONSENT_LINK_SECRET'),
    ...on('PictureQueue', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'),
    ...on('MainTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'),
    ...tablesKey,
    ...receiveKey,
  ],
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
    const onAudit = allStatements().filter(({ statement }) => statement.Resource.some((r) => named(r) === 'AuditTable'));
    expect(new Set(onAudit.flatMap(({ statement }) => statement.Action))).toEqual(new Set(['dynamodb:PutItem', 'dynamodb:Query']));
    // Reading the history is for the person's own questions and export only.
    const readers = onAudit.filter(({ statement }) => statement.Action.includes('dynamodb:Query')).map(({ fn }) => fn);
    expect(readers.sort()).toEqual(['consent', 'conversation']);
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

  it('seals bank tokens with a rotating customer-managed KMS key, usable only by the functions holding tokens and only with the token encryption context', () => {
    expect(resource('BankTokenKey').EnableKeyRotation).toBe(true);
    // The key's other uses (the tables and queues, through DynamoDB and SQS) are checked below.
    const kms = allStatements().filter(({ statement }) => statement.Action.some((a) => a.startsWith('kms:')) && !via(statement));
    expect(Object.fromEntries(kms.map(({ fn, statement }) => [fn, statement.Action.slice().sort()]))).toEqual({
      consent: ['kms:Decrypt', 'kms:GenerateDataKey'],
      consentEffects: ['kms:Decrypt'],
      syncWorker: ['kms:Decrypt'],
    });
    for (const { statement } of kms) {
      expect(statement.Resource).toEqual([{ 'Fn::GetAtt': ['BankTokenKey', 'Arn'] }]);
      expect(statement.Condition).toEqual({
        'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['psid', 'itemId', 'purpose'] },
        StringEquals: { 'kms:EncryptionContext:purpose': 'bank-access-token' },
      });
    }
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

  it('feeds the spending picture from its queue with partial failures; a picture still failing after three receives ends in a DLQ', () => {
    const props = mapping('SpendingPicture');
    expect(props.EventSourceArn).toEqual({ 'Fn::GetAtt': ['PictureQueue', 'Arn'] });
    expect(props.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    const queue = resource('PictureQueue');
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': ['PictureDLQ', 'Arn'] }, maxReceiveCount: 3 });
    expect(Number(queue.VisibilityTimeout)).toBeGreaterThanOrEqual(6 * Number(template.Resources.SpendingPictureLambdaFunction!.Properties.Timeout));
    expect(alarms()).toContainEqual(
      expect.objectContaining({ MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['PictureQueue', 'QueueName'] } }], AlarmActions: [{ Ref: 'AlarmTopic' }] }),
    );
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
    expect(routes).toEqual(expect.arrayContaining(['GET /consent', 'POST /consent', 'GET /link/complete', 'GET /consent/manage', 'POST /consent/revoke', 'POST /consent/scopes', 'POST /consent/record', 'GET /consent/export', 'GET /link/reconnect', 'GET /link/reconnected', 'GET /consent/renew', 'POST /consent/renew']));
  });

  it('runs every function on nodejs24.x, arm64, without mapping stack traces at load', () => {
    const functions = resourcesOf('AWS::Lambda::Function');
    expect(functions.map(([name]) => name).sort()).toEqual([
      'BankWebhookLambdaFunction',
      'ConsentEffectsLambdaFunction',
      'ConsentExpiryLambdaFunction',
      'ConsentLambdaFunction',
      'ConversationLambdaFunction',
      'MessengerWebhookLambdaFunction',
      'SpendingPictureLambdaFunction',
      'SyncSchedulerLambdaFunction',
      'SyncWorkerLambdaFunction',
    ]);
    for (const [, fn] of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      // Source maps cost every cold start 13-20 ms (npm run bench); only the local stage maps traces.
      expect((fn.Properties.Environment as { Variables: Record<string, string> }).Variables.NODE_OPTIONS ?? '').not.toContain('--enable-source-maps');
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

  it('gives every function a role of its own; there is no shared execution role', () => {
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
    const roles = functionIds().map(roleOf);
    expect(new Set(roles).size).toBe(functionIds().length);
    for (const role of roles) expect(template.Resources[role]!.Type).toBe('AWS::IAM::Role');
    const principals = roles.map((role) => JSON.stringify(resource(role).AssumeRolePolicyDocument));
    for (const principal of principals) expect(principal).toContain('lambda.amazonaws.com');
  });

  it('scopes every IAM statement to named resources of this stack or named SSM parameters, with no wildcard action', () => {
    const statements = allStatements();
    expect(statements.length).toBeGreaterThan(30);
    for (const { fn, statement } of statements) {
      expect(statement.Effect).toBe('Allow');
      for (const action of statement.Action) expect(action, fn).not.toContain('*');
      for (const target of statement.Resource) expect(named(target), `${fn}: ${JSON.stringify(target)}`).toBeDefined();
    }
  });

  it('lets each function write its own log group and no other', () => {
    for (const id of functionIds()) {
      const logs = statementsOf(roleOf(id)).filter((s) => s.Action.some((a) => a.startsWith('logs:')));
      expect(logs, id).toEqual([
        { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [{ 'Fn::GetAtt': [id.replace(/LambdaFunction$/, 'LogGroup'), 'Arn'] }] },
      ]);
    }
  });

  it('grants each function exactly the table, queue, key and secret access its code uses', () => {
    const granted = Object.fromEntries(functionIds().map((id) => [functionName(id), grantsOf(id).sort()]));
    const expected = Object.fromEntries(Object.entries(expectedAccess).map(([fn, access]) => [fn, access.slice().sort()]));
    expect(granted).toEqual(expected);
  });

  it('lets bankWebhook Query only the shared webhook-key partition of the main table', () => {
    const queries = statementsOf(roleOf('BankWebhookLambdaFunction')).filter((s) => s.Action.includes('dynamodb:Query'));
    expect(queries).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:Query'], Resource: [{ 'Fn::GetAtt': ['MainTable', 'Arn'] }], Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [webhookKeysPk()] } } },
    ]);
  });

  /** Every queue the stack uses as a dead-letter queue, whichever consumer it serves. */
  const deadLetterQueues = () => {
    const found = new Set<string>();
    const add = (arn: unknown) => found.add(named(arn) ?? `unnamed ${JSON.stringify(arn)}`);
    for (const [, m] of resourcesOf('AWS::Lambda::EventSourceMapping')) {
      const onFailure = (m.Properties.DestinationConfig as { OnFailure?: { Destination: unknown } } | undefined)?.OnFailure;
      if (onFailure) add(onFailure.Destination);
    }
    for (const [, q] of resourcesOf('AWS::SQS::Queue')) {
      const redrive = q.Properties.RedrivePolicy as { deadLetterTargetArn: unknown } | undefined;
      if (redrive) add(redrive.deadLetterTargetArn);
    }
    for (const [, rule] of resourcesOf('AWS::Events::Rule')) for (const t of rule.Properties.Targets as { DeadLetterConfig?: { Arn: unknown } }[]) if (t.DeadLetterConfig) add(t.DeadLetterConfig.Arn);
    for (const [, c] of resourcesOf('AWS::Lambda::EventInvokeConfig')) {
      const onFailure = (c.Properties.DestinationConfig as { OnFailure?: { Destination: unknown } } | undefined)?.OnFailure;
      if (onFailure) add(onFailure.Destination);
    }
    return found;
  };

  it('gives every asynchronous consumer a DLQ: stream mappings, the sync queue, the schedules and their invocations', () => {
    for (const [id, m] of resourcesOf('AWS::Lambda::EventSourceMapping')) {
      const source = named(m.Properties.EventSourceArn);
      if (source === 'MainTable.StreamArn') {
        expect((m.Properties.DestinationConfig as { OnFailure: { Destination: unknown } }).OnFailure.Destination, id).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/DLQ$/), 'Arn'] });
      } else {
        expect(resource(source!).RedrivePolicy, id).toMatchObject({ deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(/DLQ$/), 'Arn'] } });
      }
    }
    const scheduled = resourcesOf('AWS::Events::Rule').flatMap(([, rule]) => (rule.Properties.Targets as { Arn: { 'Fn::GetAtt': [string, string] } }[]).map((t) => t.Arn['Fn::GetAtt'][0]));
    expect(scheduled.sort()).toEqual(['ConsentExpiryLambdaFunction', 'SyncSchedulerLambdaFunction']);
    const invokeConfigs = resourcesOf('AWS::Lambda::EventInvokeConfig').map(([, c]) => c.Properties);
    for (const fn of scheduled) {
      expect(invokeConfigs).toContainEqual(
        expect.objectContaining({ FunctionName: { Ref: fn }, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['ScheduleDLQ', 'Arn'] } } } }),
      );
    }
    expect(deadLetterQueues()).toEqual(new Set(['ConversationDLQ', 'ConsentEffectsDLQ', 'SyncDLQ', 'PictureDLQ', 'ScheduleDLQ']));
  });

  const alarms = () => resourcesOf('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);

  it('alarms through the alarm topic as soon as any DLQ holds a message', () => {
    expect(template.Resources.AlarmTopic?.Type).toBe('AWS::SNS::Topic');
    for (const queue of deadLetterQueues()) {
      expect(alarms(), queue).toContainEqual(
        expect.objectContaining({
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          AlarmActions: [{ Ref: 'AlarmTopic' }],
        }),
      );
    }
  });

  it.each(['Errors', 'Throttles'])('alarms through the alarm topic on any function %s', (metric) => {
    for (const id of functionIds()) {
      expect(alarms(), id).toContainEqual(
        expect.objectContaining({
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: id } }],
          Statistic: 'Sum',
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          AlarmActions: [{ Ref: 'AlarmTopic' }],
        }),
      );
    }
  });

  it('alarms on 5xx answers of the HTTP API, which the error middleware returns rather than throws', () => {
    expect(alarms()).toContainEqual(
      expect.objectContaining({ Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: [{ Name: 'ApiId', Value: { Ref: 'HttpApi' } }], Threshold: 0, AlarmActions: [{ Ref: 'AlarmTopic' }] }),
    );
  });

  it('alarms on Messenger deliveries refused for their signature, before Meta disables the webhook', () => {
    const filter = resource('WebhookSignatureRefusedFilter');
    expect(filter.LogGroupName).toEqual({ Ref: 'MessengerWebhookLogGroup' });
    // The fields of the line lib/http/errors.ts writes (test/functions/logging.test.ts checks it).
    expect(filter.FilterPattern).toBe('{ ($.message = "Request refused") && ($.error = "SignatureInvalid") }');
    const [metric] = filter.MetricTransformations as { MetricNamespace: string; MetricName: string }[];
    expect(alarms()).toContainEqual(
      expect.objectContaining({
        Namespace: metric!.MetricNamespace,
        MetricName: metric!.MetricName,
        Dimensions: [{ Name: 'function_name', Value: { Ref: 'MessengerWebhookLambdaFunction' } }],
        AlarmActions: [{ Ref: 'AlarmTopic' }],
      }),
    );
  });

  it('alarms when the conversation falls behind the inbox stream', () => {
    expect(alarms()).toContainEqual(
      expect.objectContaining({ MetricName: 'IteratorAge', Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'ConversationLambdaFunction' } }], AlarmActions: [{ Ref: 'AlarmTopic' }] }),
    );
  });

  it('keeps every log group for a bounded time: one per function and the HTTP API access log', () => {
    const groups = resourcesOf('AWS::Logs::LogGroup');
    expect(groups.map(([id]) => id).sort()).toEqual([...functionIds().map((id) => id.replace(/LambdaFunction$/, 'LogGroup')), 'HttpApiLogGroup'].sort());
    for (const [id, group] of groups) expect(group.Properties.RetentionInDays, id).toBe(30);
  });

  it('throttles the HTTP API', () => {
    const settings = resource('HttpApiStage').DefaultRouteSettings as Record<string, unknown>;
    expect(settings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(settings.ThrottlingBurstLimit).toBeGreaterThanOrEqual(settings.ThrottlingRateLimit as number);
  });

  it('sends business metrics to their own namespace, enabled in AWS and tagged with the stage', () => {
    for (const [, fn] of resourcesOf('AWS::Lambda::Function')) {
      const variables = (fn.Properties.Environment as { Variables: Record<string, string> }).Variables;
      expect(variables.POWERTOOLS_METRICS_NAMESPACE).toBe('MessengerBanking');
      expect(variables.POWERTOOLS_METRICS_DISABLED).toBe('false');
      expect(variables.STAGE).toBe('ci');
    }
  });

  it('defaults to a Graph API version current past 2027 (v25.0 or newer)', () => {
    for (const [id, fn] of resourcesOf('AWS::Lambda::Function')) {
      const url = (fn.Properties.Environment as { Variables: Record<string, string> }).Variables.GRAPH_API_URL!;
      const version = /^https:\/\/graph\.facebook\.com\/v(\d+)\.0$/.exec(url);
      expect(Number(version?.[1]), `${id}: ${url}`).toBeGreaterThanOrEqual(25);
    }
  });

  describe("the stack's customer-managed key", () => {
    type KeyStatement = {
      Sid: string;
      Effect: string;
      Principal: { AWS?: unknown; Service?: string };
      Action: string | string[];
      Resource: string;
      Condition?: Record<string, Record<string, unknown>>;
    };
    const keyStatements = () => (resource('BankTokenKey').KeyPolicy as { Statement: KeyStatement[] }).Statement;
    const accountRoot = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' };
    /** Actions that encrypt, decrypt or hand the key's use to someone else. */
    const isUse = (action: string) => /^kms:(\*|Encrypt|Decrypt|ReEncrypt|GenerateDataKey|CreateGrant)/.test(action);
    /** The functions a key policy statement names in `aws:PrincipalArn`, by their roles' names. */
    const principalsOf = (statement: KeyStatement) => {
      const byRoleName = new Map(functionIds().map((id) => [resource(roleOf(id)).RoleName as string, functionName(id)]));
      const arns = asList((statement.Condition?.ArnEquals?.['aws:PrincipalArn'] ?? []) as { 'Fn::Sub': string }[]);
      return arns.map((arn) => byRoleName.get(/^arn:\$\{AWS::Partition\}:iam::\$\{AWS::AccountId\}:role\/(.+)$/.exec(arn['Fn::Sub'])?.[1] ?? '') ?? `not a function role: ${arn['Fn::Sub']}`);
    };
    /** `via dynamodb`, `bank token` or `unbound`: what limits a use of the key. */
    const boundOf = (condition: Record<string, Record<string, unknown>> | undefined) =>
      via({ Condition: condition }).trim() || (condition?.StringEquals?.['kms:EncryptionContext:purpose'] === 'bank-access-token' ? 'bank token' : 'unbound');
    const keyArn = { 'Fn::GetAtt': ['BankTokenKey', 'Arn'] };
    const ruleArn = (name: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/${name}` });
    const ruleArns = () => resourcesOf('AWS::Events::Rule').map(([, rule]) => ruleArn(rule.Properties.Name as string));

    it('encrypts both tables (and so their streams and backups) under it', () => {
      for (const table of ['MainTable', 'AuditTable']) {
        expect(resource(table).SSESpecification, table).toEqual({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn });
      }
    });

    it('encrypts the queues whose messages name a person under it; the stream DLQs hold only batch pointers', () => {
      const queues = Object.fromEntries(resourcesOf('AWS::SQS::Queue').map(([id, q]) => [id, q.Properties.KmsMasterKeyId ?? (q.Properties.SqsManagedSseEnabled ? 'sqs-managed' : 'none')]));
      expect(queues).toEqual({ SyncQueue: keyArn, SyncDLQ: keyArn, PictureQueue: keyArn, PictureDLQ: keyArn, ScheduleDLQ: keyArn, ConversationDLQ: 'sqs-managed', ConsentEffectsDLQ: 'sqs-managed' });
    });

    it('keeps administration apart from use: the account root administers (so the key cannot be locked out) and uses nothing', () => {
      const administration = keyStatements().filter((s) => JSON.stringify(s.Principal.AWS) === JSON.stringify(accountRoot) && !s.Condition);
      expect(administration).toHaveLength(1);
      const actions = asList(administration[0]!.Action);
      expect(actions.filter(isUse)).toEqual([]);
      // What keeps the key manageable: its policy, its state, its deletion.
      for (const needed of ['kms:Put*', 'kms:Get*', 'kms:Describe*', 'kms:Enable*', 'kms:Disable*', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion']) expect(actions).toContain(needed);
    });

    it('allows no use of the key without a bound: a named function role, a service it is used through, or the token encryption context', () => {
      for (const statement of keyStatements()) {
        expect(statement.Effect).toBe('Allow');
        if (!asList(statement.Action).some(isUse)) continue;
        const viaService = boundOf(statement.Condition).startsWith('via ');
        const toRoles = principalsOf(statement).length > 0;
        const fromRule = JSON.stringify(statement.Condition?.ArnEquals?.['aws:SourceArn'] ?? null) === JSON.stringify(ruleArns());
        expect(viaService || toRoles || fromRule, statement.Sid).toBe(true);
        expect(asList(statement.Action), statement.Sid).not.toContain('kms:*');
      }
    });

    it('allows its use to the function roles by name, exactly as their own IAM policies do (both must allow)', () => {
      const fromKeyPolicy = new Set(
        keyStatements().flatMap((s) => principalsOf(s).flatMap((fn) => asList(s.Action).map((action) => `${fn} ${action} ${boundOf(s.Condition)}`))),
      );
      const fromRoles = new Set(
        allStatements()
          .filter(({ statement }) => statement.Resource.some((r) => named(r) === 'BankTokenKey') && !via(statement).includes('sqs'))
          .flatMap(({ fn, statement }) => statement.Action.map((action) => `${fn} ${action} ${boundOf(statement.Condition as Record<string, Record<string, unknown>>)}`)),
      );
      expect([...fromKeyPolicy].sort()).toEqual([...fromRoles].sort());
      // Every function reads or writes a table; only the three that hold bank tokens open them.
      expect([...fromKeyPolicy].filter((grant) => grant.endsWith('via dynamodb')).sort()).toEqual(functionIds().map((id) => `${functionName(id)} kms:Decrypt via dynamodb`).sort());
      expect([...fromKeyPolicy].filter((grant) => grant.endsWith('bank token')).sort()).toEqual([
        'consent kms:Decrypt bank token',
        'consent kms:GenerateDataKey bank token',
        'consentEffects kms:Decrypt bank token',
        'syncWorker kms:Decrypt bank token',
      ]);
    });

    it('gives every sender and receiver of an encrypted queue the key through SQS: functions, on-failure destinations and EventBridge', () => {
      const encrypted = resourcesOf('AWS::SQS::Queue').filter(([, q]) => q.Properties.KmsMasterKeyId).map(([id]) => id);
      const roleGrants = (fn: string) => grantsOf(`${fn.charAt(0).toUpperCase()}${fn.slice(1)}LambdaFunction`);
      for (const { fn, statement } of allStatements()) {
        for (const target of statement.Resource.map(named).filter((q): q is string => encrypted.includes(q ?? ''))) {
          if (statement.Action.includes('sqs:SendMessage')) expect(roleGrants(fn), `${fn} sends to ${target}`).toEqual(expect.arrayContaining(sendKey));
          if (statement.Action.includes('sqs:ReceiveMessage')) expect(roleGrants(fn), `${fn} receives from ${target}`).toEqual(expect.arrayContaining(receiveKey));
        }
      }
      // Lambda sends a failed asynchronous run's record with the function's own role.
      for (const [, config] of resourcesOf('AWS::Lambda::EventInvokeConfig')) {
        const destination = named((config.Properties.DestinationConfig as { OnFailure: { Destination: unknown } }).OnFailure.Destination)!;
        const fn = functionName((config.Properties.FunctionName as { Ref: string }).Ref);
        if (encrypted.includes(destination)) expect(roleGrants(fn), `${fn} on failure to ${destination}`).toEqual(expect.arrayContaining(sendKey));
      }
      // SQS uses the key with the permission of whoever sends: the account's IAM decides (the roles above, operators draining DLQs).
      expect(keyStatements()).toContainEqual(
        expect.objectContaining({ Principal: { AWS: accountRoot }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Condition: { StringEquals: { 'kms:ViaService': 'sqs.eu-west-1.amazonaws.com' } } }),
      );
      // EventBridge drops an undeliverable scheduled event into the schedule DLQ, for the two rules only.
      const scheduleDlqSenders = resourcesOf('AWS::Events::Rule').flatMap(([, rule]) => (rule.Properties.Targets as { DeadLetterConfig?: { Arn: unknown } }[]).map((t) => named(t.DeadLetterConfig?.Arn)));
      expect(scheduleDlqSenders.every((q) => q === 'ScheduleDLQ' && encrypted.includes(q))).toBe(true);
      expect(keyStatements()).toContainEqual(
        expect.objectContaining({ Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Condition: { ArnEquals: { 'aws:SourceArn': ruleArns() } } }),
      );
    });

    it('lets DynamoDB set a table up under the key for a CloudFormation deploy only, and create no grant but its own', () => {
      const setup = keyStatements().filter((s) => asList(s.Action).some(isUse) && principalsOf(s).length === 0 && s.Principal.AWS);
      const sqs = setup.filter((s) => via(s) === ' via sqs');
      for (const statement of setup.filter((s) => !sqs.includes(s))) {
        expect(statement.Condition?.StringEquals, statement.Sid).toEqual({ 'kms:ViaService': 'dynamodb.eu-west-1.amazonaws.com', 'aws:CalledViaFirst': 'cloudformation.amazonaws.com' });
      }
      const grants = keyStatements().filter((s) => asList(s.Action).includes('kms:CreateGrant'));
      expect(grants).toHaveLength(1);
      expect(grants[0]!.Condition?.Bool).toEqual({ 'kms:GrantIsForAWSResource': 'true' });
    });

    it("names only roles the stack defines, each within IAM's 64 characters", () => {
      for (const id of functionIds()) expect((resource(roleOf(id)).RoleName as string).length, id).toBeLessThanOrEqual(64);
      for (const statement of keyStatements()) for (const fn of principalsOf(statement)) expect(functionIds().map(functionName), statement.Sid).toContain(fn);
    });
  });

  describe('the audit table', () => {
    const auditArn = { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/messenger-banking-ci-audit' };

    it('cannot be deleted: deletion protection on, and retained with the stack', () => {
      expect(resource('AuditTable').DeletionProtectionEnabled).toBe(true);
      expect(template.Resources.AuditTable).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    it('refuses an update or a delete of a record to every principal, by its own resource policy', () => {
      const policy = (resource('AuditTable').ResourcePolicy as { PolicyDocument: { Statement: unknown[] } }).PolicyDocument;
      expect(policy.Statement).toEqual([
        {
          Sid: 'AppendOnly',
          Effect: 'Deny',
          Principal: '*',
          Action: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete'],
          Resource: auditArn,
        },
      ]);
      expect(resource('AuditTable').TableName).toBe('messenger-banking-ci-audit');
    });

    it('is only put to and read by the functions: no role may update, delete or batch-write it', () => {
      const onAudit = allStatements().filter(({ statement }) => statement.Resource.some((r) => named(r) === 'AuditTable'));
      const writes = onAudit.flatMap(({ statement }) => statement.Action).filter((a) => !['dynamodb:Query', 'dynamodb:GetItem'].includes(a));
      expect(new Set(writes)).toEqual(new Set(['dynamodb:PutItem']));
    });
  });

  /** A rate expression's interval in seconds: `rate(5 minutes)` → 300. */
  const rateSeconds = (expression: string) => {
    const [, count, unit] = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression)!;
    return Number(count) * { minute: 60, hour: 3600, day: 86_400 }[unit!.replace(/s$/, '') as 'minute' | 'hour' | 'day'];
  };

  it('alarms when a schedule has not run successfully for two of its intervals, silence included', () => {
    for (const [, rule] of resourcesOf('AWS::Events::Rule')) {
      const target = (rule.Properties.Targets as { Arn: { 'Fn::GetAtt': [string, string] } }[])[0]!.Arn['Fn::GetAtt'][0];
      const interval = rateSeconds(rule.Properties.ScheduleExpression as string);
      const metric = (name: string) => ({
        Namespace: 'AWS/Lambda',
        MetricName: name,
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: target } }],
      });
      expect(alarms(), target).toContainEqual(
        expect.objectContaining({
          Metrics: [
            { Id: 'invocations', ReturnData: false, MetricStat: { Metric: metric('Invocations'), Period: interval, Stat: 'Sum' } },
            { Id: 'errors', ReturnData: false, MetricStat: { Metric: metric('Errors'), Period: interval, Stat: 'Sum' } },
            { Id: 'succeeded', Label: 'successful runs', Expression: 'FILL(invocations, 0) - FILL(errors, 0)', ReturnData: true },
          ],
          EvaluationPeriods: 2,
          DatapointsToAlarm: 2,
          Threshold: 1,
          ComparisonOperator: 'LessThanThreshold',
          TreatMissingData: 'breaching',
          AlarmActions: [{ Ref: 'AlarmTopic' }],
        }),
      );
    }
  });

  it('alarms when any stream consumer falls behind its stream', () => {
    const consumers = resourcesOf('AWS::Lambda::EventSourceMapping')
      .filter(([, m]) => named(m.Properties.EventSourceArn) === 'MainTable.StreamArn')
      .map(([, m]) => (m.Properties.FunctionName as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]);
    expect(consumers.sort()).toEqual(['ConsentEffectsLambdaFunction', 'ConversationLambdaFunction']);
    for (const fn of consumers) {
      expect(alarms(), fn).toContainEqual(
        expect.objectContaining({
          Namespace: 'AWS/Lambda',
          MetricName: 'IteratorAge',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn } }],
          Statistic: 'Maximum',
          ComparisonOperator: 'GreaterThanThreshold',
          AlarmActions: [{ Ref: 'AlarmTopic' }],
        }),
      );
    }
  });

  it("alarms when the sync queue holds a message older than the worker's whole retry chain", () => {
    expect(alarms()).toContainEqual(
      expect.objectContaining({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['SyncQueue', 'QueueName'] } }],
        // Backoffs of at most 30 + 60 + 120 + 240 s before the DLQ (lib/sync/handle-sync-message.ts).
        Threshold: expect.any(Number),
        AlarmActions: [{ Ref: 'AlarmTopic' }],
      }),
    );
    const age = alarms().find((a) => a.MetricName === 'ApproximateAgeOfOldestMessage' && JSON.stringify(a.Dimensions).includes('SyncQueue'))!;
    expect(age.Threshold).toBeGreaterThan(30 + 60 + 120 + 240);
  });

  describe('the HTTP API access log', () => {
    /** Variables that carry nothing a request sent: ids, times, the route's pattern, the caller's address, outcomes. */
    const allowed = [
      '$context.requestId',
      '$context.requestTimeEpoch',
      '$context.identity.sourceIp',
      '$context.httpMethod',
      '$context.routeKey',
      '$context.protocol',
      '$context.status',
      '$context.error.message',
      '$context.responseLength',
      '$context.responseLatency',
      '$context.integrationStatus',
      '$context.integrationLatency',
    ];
    const settings = () => resource('HttpApiStage').AccessLogSettings as { DestinationArn: unknown; Format: string };

    it('writes JSON lines to a log group of its own, kept 30 days', () => {
      expect(settings().DestinationArn).toEqual({ 'Fn::GetAtt': ['HttpApiLogGroup', 'Arn'] });
      expect(resource('HttpApiLogGroup').RetentionInDays).toBe(30);
      const line = JSON.parse(settings().Format) as Record<string, string>;
      for (const [field, value] of Object.entries(line)) expect(value, field).toMatch(/^\$context\.[\w.]+$/);
    });

    it('logs no query string, path, header, body or token: every variable is one that carries none', () => {
      const variables = [...settings().Format.matchAll(/\$[\w.]+/g)].map((m) => m[0]);
      expect(variables.length).toBeGreaterThan(5);
      expect(variables.filter((v) => !allowed.includes(v))).toEqual([]);
      // The ones that would: a link's token rides in the query string, Meta's signature in a header.
      for (const carrier of ['$request', '$input', '$context.path', '$context.identity.userAgent', '$context.authorizer', '$context.integrationErrorMessage', '$context.integration.error', '$context.domainName']) {
        expect(settings().Format).not.toContain(carrier);
      }
    });
  });

  it("lets a service send to a queue only from this stack's own sources (aws:SourceArn)", () => {
    const policies = resourcesOf('AWS::SQS::QueuePolicy');
    expect(policies.length).toBeGreaterThan(0);
    for (const [id, policy] of policies) {
      for (const statement of (policy.Properties.PolicyDocument as { Statement: (Statement & { Principal: { Service?: string } })[] }).Statement) {
        if (!statement.Principal.Service) continue;
        const sources = (statement.Condition as { ArnEquals?: Record<string, unknown> } | undefined)?.ArnEquals?.['aws:SourceArn'];
        expect(sources, id).toEqual(resourcesOf('AWS::Events::Rule').map(([, rule]) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/${rule.Properties.Name as string}` })));
      }
    }
  });

  it('retains what holds data or failed work when the stack is removed or a resource replaced: tables, the key, every DLQ', () => {
    for (const id of ['MainTable', 'AuditTable', 'BankTokenKey', ...deadLetterQueues()]) {
      expect(template.Resources[id], id).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  it('packages each function on its own: one minified ESM bundle and its source map, within budget', async () => {
    expect(Object.keys(bundleBudgets).sort()).toEqual(functionIds().map(functionName).sort());
    const sizes: Record<string, number> = {};
    for (const [name, budget] of Object.entries(bundleBudgets)) {
      const zip = await JSZip.loadAsync(readFileSync(join(dir, `${name}.zip`)));
      const files = Object.keys(zip.files).filter((f) => !zip.files[f]!.dir);
      const bundle = files.find((f) => f.endsWith('.mjs'));
      const assets = packagedAssets[name];
      expect(files.sort()).toEqual([bundle, `${bundle}.map`, ...(assets?.files ?? [])].sort());
      sizes[name] = (await zip.file(bundle!)!.async('uint8array')).length;
      console.log(`bundle ${name}: ${(sizes[name] / 1024).toFixed(0)} KiB of JavaScript (budget ${(budget / 1024).toFixed(0)} KiB)`);
      if (assets) {
        const bytes = (await Promise.all(assets.files.map((f) => zip.file(f)!.async('uint8array')))).reduce((sum, b) => sum + b.length, 0);
        console.log(`bundle ${name}: ${(bytes / 1024).toFixed(0)} KiB of files beside it (budget ${(assets.budget / 1024).toFixed(0)} KiB)`);
        expect(bytes, `${name}'s files`).toBeLessThan(assets.budget);
      }
    }
    // Every size is printed first, so one bundle over budget does not hide the others.
    const over = Object.entries(bundleBudgets).filter(([name, budget]) => sizes[name]! >= budget).map(([name]) => name);
    expect(over).toEqual([]);
  });
});
