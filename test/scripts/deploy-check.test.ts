import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectRoot, readServerlessConfig } from '../../dev/serverless-config';
import { functionEnv } from '../../scripts/deploy-check/bundle';
import { deployArgs, mockAwsEnv, packageArgs } from '../../scripts/deploy-check/osls';
import { cfnLintArgs, findPythonTools, INSTALL_HINT, MissingTools } from '../../scripts/deploy-check/python';
import { declaredDependsOn, describeSkipped, functionCodeKey, handlerEntry, MOTO_SKIPPED_TYPES, summariseDeploy, type Template } from '../../scripts/deploy-check/template';

/** The pure parts of `npm run deploy:check`; the check itself runs in CI (.ci/run), not in npm test. */

const template: Template = {
  Resources: {
    MainTable: { Type: 'AWS::DynamoDB::Table' },
    HttpApi: { Type: 'AWS::ApiGatewayV2::Api' },
    HttpApiRoutePostWebhook: { Type: 'AWS::ApiGatewayV2::Route' },
    HttpApiRouteGetWebhook: { Type: 'AWS::ApiGatewayV2::Route' },
    AlarmEmailSubscription: { Type: 'AWS::SNS::Subscription', Condition: 'HasAlarmEmail' },
    MessengerWebhookLambdaFunction: {
      Type: 'AWS::Lambda::Function',
      Properties: { Code: { S3Bucket: { Ref: 'ServerlessDeploymentBucket' }, S3Key: 'serverless/messenger-banking/prod/1-2026/messengerWebhook.zip' } },
    },
  },
};

describe('what the deploy check makes of the stack moto deployed', () => {
  it('counts the resources moto created and the ones of types its CloudFormation skips, by type', () => {
    const summary = summariseDeploy(template, ['MainTable', 'MessengerWebhookLambdaFunction']);

    expect(summary).toEqual({
      created: 2,
      skipped: { 'AWS::ApiGatewayV2::Api': 1, 'AWS::ApiGatewayV2::Route': 2 },
      conditional: ['AlarmEmailSubscription (HasAlarmEmail)'],
      missing: [],
    });
    expect(describeSkipped(summary.skipped)).toBe('ApiGatewayV2::Route ×2, ApiGatewayV2::Api ×1');
  });

  it('reports a resource of a type moto implements that did not come up, so the check fails on it', () => {
    const summary = summariseDeploy(template, ['MessengerWebhookLambdaFunction']);

    expect(summary.missing).toEqual(['MainTable (AWS::DynamoDB::Table)']);
  });

  it('explains only types moto skips, never the tables, functions, queues, key or roles the check relies on', () => {
    for (const type of ['AWS::DynamoDB::Table', 'AWS::Lambda::Function', 'AWS::SQS::Queue', 'AWS::KMS::Key', 'AWS::IAM::Role', 'AWS::S3::Bucket']) {
      expect(MOTO_SKIPPED_TYPES).not.toHaveProperty([type]);
    }
  });
});

describe('.cfnlintrc.yaml', () => {
  const text = readFileSync(join(projectRoot, '.cfnlintrc.yaml'), 'utf8');
  const config = parse(text) as { ignore_checks?: string[]; regions?: string[] };

  it('ignores only warnings, each under a comment giving its reason', () => {
    expect(config.ignore_checks?.length).toBeGreaterThan(0);
    for (const check of config.ignore_checks ?? []) {
      expect(check).toMatch(/^W\d{4}$/);
      const lines = text.split('\n');
      const at = lines.findIndex((line) => line.trim() === `- ${check}`);
      const reason = lines.slice(0, at).reverse();
      const comment = reason.slice(0, reason.findIndex((line) => !line.trim().startsWith('#')));
      expect(comment.join(' ').length, `${check} has no reason above it`).toBeGreaterThan(80);
    }
  });

  it("lints against the stack's default region", () => {
    expect(config.regions).toEqual(['eu-west-1']);
    expect((readServerlessConfig() as { provider: { region: string } }).provider.region).toContain("'eu-west-1'");
  });

  it('can ignore W3005 because serverless.yml declares no DependsOn of its own (only osls writes them)', () => {
    const resources = (readServerlessConfig() as { resources: { Resources: Record<string, { DependsOn?: unknown }> } }).resources.Resources;

    expect(declaredDependsOn(resources)).toEqual([]);
    expect(declaredDependsOn({ ...resources, Extra: { DependsOn: 'MainTable' } })).toEqual(['Extra']);
  });
});

describe('the deployed webhook bundle', () => {
  it('is found through the S3 key CloudFormation deployed the function from', () => {
    expect(functionCodeKey(template, 'messengerWebhook')).toBe('serverless/messenger-banking/prod/1-2026/messengerWebhook.zip');
    expect(() => functionCodeKey(template, 'consent')).toThrow(/ConsentLambdaFunction/);
  });

  it("resolves the handler to the bundle's module the way Lambda's Node runtime does", () => {
    expect(handlerEntry('functions/messenger-webhook.handler', ['functions/messenger-webhook.mjs', 'functions/messenger-webhook.mjs.map'])).toEqual({
      file: 'functions/messenger-webhook.mjs',
      exportName: 'handler',
    });
    expect(() => handlerEntry('functions/consent.handler', ['functions/messenger-webhook.mjs'])).toThrow(/no module/);
  });

  it("runs with the function's deployed variables, the SDK pointed at the mock, and none of this machine's AWS settings", () => {
    const env = functionEnv({
      variables: { TABLE_NAME: 'messenger-banking-prod-main', DYNAMODB_ENDPOINT: '', SECRETS_SOURCE: 'ssm' },
      functionName: 'messenger-banking-prod-messengerWebhook',
      memorySize: 1024,
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:4000',
    });

    expect(env).toMatchObject({
      TABLE_NAME: 'messenger-banking-prod-main',
      SECRETS_SOURCE: 'ssm',
      DYNAMODB_ENDPOINT: '',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4000',
      AWS_REGION: 'eu-west-1',
      AWS_LAMBDA_FUNCTION_NAME: 'messenger-banking-prod-messengerWebhook',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    });
    expect(env.PATH).toBeUndefined();
  });
});

describe('osls and cfn-lint invocations', () => {
  it('packages and deploys the prod stage from the same package folder', () => {
    expect(packageArgs('/tmp/p')).toEqual(['package', '--stage', 'prod', '--package', '/tmp/p']);
    expect(deployArgs('/tmp/p')).toEqual(['deploy', '--stage', 'prod', '--package', '/tmp/p', '--verbose']);
  });

  it('lints every template with the project config', () => {
    expect(cfnLintArgs('/repo/.cfnlintrc.yaml', ['/tmp/p/a.json', '/tmp/p/b.json']).slice(2)).toEqual(['--config-file', '/repo/.cfnlintrc.yaml', '--', '/tmp/p/a.json', '/tmp/p/b.json']);
  });

  it("replaces every AWS setting of this machine (profile, keys, endpoints, config files) with the mock's", () => {
    const env = mockAwsEnv(
      { PATH: '/usr/bin', AWS_PROFILE: 'prod-admin', AWS_SESSION_TOKEN: 'real', AWS_ENDPOINT_URL_S3: 'https://s3.example', aws_region: 'us-east-1' },
      'http://127.0.0.1:4000',
      'eu-west-1',
    );

    expect(env.PATH).toBe('/usr/bin');
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(env.AWS_SESSION_TOKEN).toBeUndefined();
    expect(env.AWS_ENDPOINT_URL_S3).toBeUndefined();
    expect(env.aws_region).toBeUndefined();
    expect(env).toMatchObject({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4000', AWS_ACCESS_KEY_ID: 'deploy-check', AWS_REGION: 'eu-west-1', AWS_EC2_METADATA_DISABLED: 'true' });
  });

  it('packages with no endpoint at all', () => {
    expect(mockAwsEnv({}, undefined, 'eu-west-1').AWS_ENDPOINT_URL).toBeUndefined();
  });
});

describe('without cfn-lint and moto', () => {
  it('says how to install them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'no-python-'));
    try {
      const error = await findPythonTools(join(dir, 'python3')).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(MissingTools);
      expect((error as Error).message).toContain(INSTALL_HINT);
      expect(INSTALL_HINT).toBe("pip install cfn-lint 'moto[server]'");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
