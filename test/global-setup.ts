import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type DynamoDbLocal } from '../dev/dynamodb-local';

let dynamo: DynamoDbLocal | undefined;

/** One DynamoDB Local for the whole run; each test file creates its own tables in it. */
export async function setup(project: TestProject) {
  // Lambda runs Node 22; the SDK's notice about the local Node 20 is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  dynamo = await startDynamoDbLocal();
  project.provide('dynamodbEndpoint', dynamo.endpoint);
}

export async function teardown() {
  await dynamo?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}
