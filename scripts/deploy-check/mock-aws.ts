/** What the deploy check asks of the mock AWS: the stack as deployed, its bundle, its table. */
import { CloudFormationClient, DescribeStacksCommand, GetTemplateCommand, paginateListStackResources } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { Template } from './template';

export interface MockAws {
  cloudFormation: CloudFormationClient;
  dynamodb: DynamoDBClient;
  lambda: LambdaClient;
  s3: S3Client;
  ssm: SSMClient;
  destroy(): void;
}

/** Clients bound to the mock: endpoint and dummy credentials given explicitly, never from this machine's AWS settings. */
export function mockAwsClients(endpoint: string, region: string): MockAws {
  const config = { endpoint, region, credentials: { accessKeyId: 'deploy-check', secretAccessKey: 'deploy-check' }, maxAttempts: 2 };
  const clients = {
    cloudFormation: new CloudFormationClient(config),
    dynamodb: new DynamoDBClient(config),
    lambda: new LambdaClient(config),
    // Bucket names do not resolve as host names under 127.0.0.1.
    s3: new S3Client({ ...config, forcePathStyle: true }),
    ssm: new SSMClient(config),
  };
  return { ...clients, destroy: () => Object.values(clients).forEach((client) => client.destroy()) };
}

/** The secrets a deployed function reads from SSM (SecureString, as the README's deploy steps put them). */
export async function putSecrets(aws: MockAws, prefix: string, secrets: Record<string, string>): Promise<string[]> {
  const names = Object.keys(secrets).map((name) => `${prefix}/${name}`);
  await Promise.all(
    Object.entries(secrets).map(([name, value]) =>
      aws.ssm.send(new PutParameterCommand({ Name: `${prefix}/${name}`, Value: value, Type: 'SecureString', Overwrite: true })),
    ),
  );
  return names;
}

export interface DeployedStack {
  status: string;
  template: Template;
  /** Logical id → physical id, for every resource moto created. */
  physicalIds: Map<string, string>;
}

export async function readDeployedStack(aws: MockAws, stackName: string): Promise<DeployedStack> {
  const { Stacks } = await aws.cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  const { TemplateBody } = await aws.cloudFormation.send(new GetTemplateCommand({ StackName: stackName }));
  const physicalIds = new Map<string, string>();
  for await (const page of paginateListStackResources({ client: aws.cloudFormation }, { StackName: stackName })) {
    for (const resource of page.StackResourceSummaries ?? []) {
      // moto lists the resources it skipped with no logical id at all.
      if (resource.LogicalResourceId) physicalIds.set(resource.LogicalResourceId, resource.PhysicalResourceId ?? '');
    }
  }
  return { status: Stacks?.[0]?.StackStatus ?? 'UNKNOWN', template: JSON.parse(TemplateBody ?? '{}') as Template, physicalIds };
}

export async function downloadObject(aws: MockAws, bucket: string, key: string): Promise<Uint8Array> {
  const { Body } = await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!Body) throw new Error(`s3://${bucket}/${key} is empty`);
  return Body.transformToByteArray();
}

export interface DeployedFunction {
  handler: string;
  memorySize: number;
  variables: Record<string, string>;
}

export async function readFunction(aws: MockAws, name: string): Promise<DeployedFunction> {
  const { Configuration } = await aws.lambda.send(new GetFunctionCommand({ FunctionName: name }));
  if (!Configuration?.Handler) throw new Error(`function ${name} has no handler`);
  return { handler: Configuration.Handler, memorySize: Configuration.MemorySize ?? 128, variables: Configuration.Environment?.Variables ?? {} };
}

/** The item's `type`, or undefined when the table has no such item. */
export async function itemType(aws: MockAws, table: string, key: { pk: string; sk: string }): Promise<string | undefined> {
  const { Item } = await aws.dynamodb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: key.pk }, sk: { S: key.sk } }, ConsistentRead: true }));
  return Item ? (Item.type?.S ?? '(no type)') : undefined;
}
