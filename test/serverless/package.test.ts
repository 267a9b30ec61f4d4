import { execFile } from 'node:child_process';
import JSZip from 'jszip';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../dev/serverless-config';
import { webhookKeysPk } from '../../lib/store/keys';

/**
 * `osls package` smoke check: the service packages with no AWS account or credentials, and the
 * CloudFormation template it produces has what an operator relies on.
 */
/** Budgets for each function's minified bundle (what a cold start parses); the README quotes them. */
export const bundleBudgets: Record<string, number> = {
  messengerWebhook: 768 * 1024,
  // The assistant: two languages' lexicon and replies, and the SQS client for targeted refreshes.
  conversation: 832 * 1024,
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

/** The access each function's code needs (derived from the handlers and what they call), and no more. */
const on = (target: string, ...actions: string[]) => actions.map((action) => `${action} ${target}`);
const secrets = (...names: string[]) => names.map((name) => `ssm:GetParameter ssm:${name}`);
const streamRead = on('MainTable.StreamArn', 'dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams');
const bankSecrets = ['PLAID_CLIENT_ID', 'PLAID_SECRET'];
const expectedAccess: Record<string, string[]> = {
  messengerWebhook: [...secrets('MESSENGER_APP_SECRET', 'MESSENGER_VERIFY_TOKEN'), ...on('MainTable', 'dynamodb:PutItem')],
  conversation: [
    ...secrets('MESSENGER_PAGE_ACCESS_TOKEN', 'CONSENT_LINK_SECRET'),
    ...streamRead,
    ...on('ConversationDLQ', 'sqs:SendMessage'),
    ...on('SyncQueue', 'sqs:SendMessage'),
    ...on('MainTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'),
    ...on('AuditTable', 'dynamodb:PutItem', 'dynamodb:Query'),
  ],
  consent: [
    ...secrets('MESSENGER_PAGE_ACCESS_TOKEN', 'CONSENT_LINK_SECRET', ...bankSecrets),
    ...on('MainTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'),
    ...on('AuditTable', 'dynamodb:PutItem', 'dynamodb:Query'),
    ...on('BankTokenKey', 'kms:GenerateDataKey', 'kms:Decrypt'),
  ],
  consentEffects: [
    ...secrets('MESSENGER_PAGE_ACCESS_TOKEN', ...bankSecrets),
    ...streamRead,
    ...on('ConsentEffectsDLQ', 'sqs:SendMessage'),
    ...on('SyncQueue', 'sqs:SendMessage'),
    ...on('MainTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:BatchWriteItem'),
    ...on('AuditTable', 'dynamodb:PutItem'),
    ...on('BankTokenKey', 'kms:Decrypt'),
  ],
  consentExpiry: [
    ...secrets('MESSENGER_PAGE_ACCESS_TOKEN'),
    ...on('ScheduleDLQ', 'sqs:SendMessage'),
    ...on('MainTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'),
    ...on('MainTable/index/gsi1', 'dynamodb:Query'),
    ...on('AuditTable', 'dynamodb:PutItem'),
  ],
  bankWebhook: [
    ...secrets('MESSENGER_PAGE_ACCESS_TOKEN', 'CONSENT_LINK_SECRET', ...bankSecrets),
    ...on('SyncQueue', 'sqs:SendMessage'),
    ...on('MainTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'),
    ...on('AuditTable', 'dynamodb:PutItem'),
  ],
  syncScheduler: [...on('ScheduleDLQ', 'sqs:SendMessage'), ...on('MainTable/index/gsi1', 'dynamodb:Query'), ...on('SyncQueue', 'sqs:SendMessage')],
  syncWorker: [
    ...secrets('MESSENGER_PAGE_ACCESS_TOKEN', 'CONSENT_LINK_SECRET', ...bankSecrets),
    ...on('SyncQueue', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'),
    ...on('MainTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'),
    ...on('AuditTable', 'dynamodb:PutItem'),
    ...on('BankTokenKey', 'kms:Decrypt'),
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
    const kms = allStatements().filter(({ statement }) => statement.Action.some((a) => a.startsWith('kms:')));
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

  it('runs every function on nodejs22.x, arm64, without mapping stack traces at load', () => {
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
    const granted = Object.fromEntries(
      functionIds().map((id) => [
        functionName(id),
        statementsOf(roleOf(id))
          .filter((s) => !s.Action.some((a) => a.startsWith('logs:')))
          .flatMap((s) => s.Action.flatMap((action) => s.Resource.map((target) => `${action} ${named(target)}`)))
          .sort(),
      ]),
    );
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
    expect(deadLetterQueues()).toEqual(new Set(['ConversationDLQ', 'ConsentEffectsDLQ', 'SyncDLQ', 'ScheduleDLQ']));
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

  it('keeps every log group for a bounded time', () => {
    const groups = resourcesOf('AWS::Logs::LogGroup');
    expect(groups).toHaveLength(functionIds().length);
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

  it('packages each function on its own: one minified ESM bundle and its source map, within budget', async () => {
    expect(Object.keys(bundleBudgets).sort()).toEqual(functionIds().map(functionName).sort());
    const sizes: Record<string, number> = {};
    for (const [name, budget] of Object.entries(bundleBudgets)) {
      const zip = await JSZip.loadAsync(readFileSync(join(dir, `${name}.zip`)));
      const files = Object.keys(zip.files).filter((f) => !zip.files[f]!.dir);
      const bundle = files.find((f) => f.endsWith('.mjs'));
      expect(files.sort()).toEqual([bundle, `${bundle}.map`]);
      sizes[name] = (await zip.file(bundle!)!.async('uint8array')).length;
      console.log(`bundle ${name}: ${(sizes[name] / 1024).toFixed(0)} KiB of JavaScript (budget ${(budget / 1024).toFixed(0)} KiB)`);
    }
    // Every size is printed first, so one bundle over budget does not hide the others.
    const over = Object.entries(bundleBudgets).filter(([name, budget]) => sizes[name]! >= budget).map(([name]) => name);
    expect(over).toEqual([]);
  });
});
