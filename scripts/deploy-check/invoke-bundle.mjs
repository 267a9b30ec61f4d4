/* global process */
// Runs one handler of a deployed bundle, in a Node process of its own as Lambda does: the bundle
// reads its environment at load (config, clients), so it must not share the check's process.
// Usage: fork this file with <module file> <export name>, send the event, receive { result } or
// { error }.
import { pathToFileURL } from 'node:url';

const [file, exportName] = process.argv.slice(2);

process.once('message', async (event) => {
  try {
    const module = await import(pathToFileURL(file).href);
    const handler = module[exportName];
    if (typeof handler !== 'function') throw new Error(`${file} exports no function ${exportName}`);
    const deadline = Date.now() + 30_000;
    const context = {
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      awsRequestId: `deploy-check-${Date.now()}`,
      logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
      logStreamName: 'deploy-check',
      callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    const result = await handler(event, context);
    process.send({ result }, () => process.exit(0));
  } catch (error) {
    process.send({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }, () => process.exit(1));
  }
});
