import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SQSClient,
  type QueueAttributeName,
} from '@aws-sdk/client-sqs';
import { buildApp } from 'fauxqs';
import { readServerlessConfig } from './serverless-config';

/**
 * A local SQS endpoint (fauxqs, in-process) with every `AWS::SQS::Queue` of serverless.yml's
 * resources created under the names CloudFormation would give them for a stage: dead-letter queues
 * first, `RedrivePolicy` pointing at the local DLQ's ARN, visibility timeout, retention and FIFO
 * attributes as declared.
 *
 * fauxqs's own `startFauxqs()` always listens on 0.0.0.0 (its `host` option only changes the host
 * written into queue URLs), so this builds its app and binds it to the loopback interface itself.
 * Queue URLs look like AWS's (`http://sqs.eu-west-1.localhost:<port>/000000000000/<name>`); they are
 * identifiers only, so every client must be given `endpoint` (the project's `SQS_ENDPOINT`).
 */
export const LOCAL_SQS_REGION = 'eu-west-1';
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface LocalSqsOptions extends ServerlessFileOptions {
  /** 0 (the default): a free port chosen by the OS. */
  port?: number;
  /** Interface to listen on; loopback unless told otherwise. */
  host?: string;
}

export interface LocalQueue {
  logicalId: string;
  name: string;
  url: string;
  arn: string;
}

export interface LocalSqs {
  /** e.g. http://127.0.0.1:4566 — give it to SQS clients as `endpoint`. */
  endpoint: string;
  /** Every queue created, by CloudFormation logical id. */
  queues: Readonly<Record<string, LocalQueue>>;
  queueUrl(logicalId: string): string;
  queueArn(logicalId: string): string;
  /** A client for the endpoint (fixed fake credentials, region eu-west-1); destroyed by stop(). */
  client: SQSClient;
  stop(): Promise<void>;
}

/** A queue definition of serverless.yml, translated to CreateQueue's terms. */
export interface QueueDefinition {
  logicalId: string;
  name: string;
  attributes: Partial<Record<QueueAttributeName, string>>;
  tags: Record<string, string>;
  /** Logical id of the dead-letter queue its RedrivePolicy names, if any. */
  deadLetterQueue?: string;
  maxReceiveCount?: number;
}

interface CfnQueue {
  Type: 'AWS::SQS::Queue';
  Properties?: Record<string, unknown>;
}

type ServerlessConfig = {
  service?: string | { name?: string };
  custom?: Record<string, unknown>;
  params?: Record<string, Record<string, unknown> | undefined>;
  functions?: Record<string, { events?: Record<string, unknown>[] }>;
  resources?: { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> };
};

// Numeric and boolean queue properties that map one-to-one onto SQS attributes.
const PASSTHROUGH = [
  'VisibilityTimeout',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'MaximumMessageSize',
  'ReceiveMessageWaitTimeSeconds',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'SqsManagedSseEnabled',
  'KmsDataKeyReusePeriodSeconds',
] as const;

/**
 * readServerlessConfig() keeps the sequence and mapping forms of the short intrinsics as YAML nodes
 * (`!GetAtt [Queue, Arn]` gives `{ 'Fn::GetAtt': YAMLSeq }`); a JSON round trip makes them plain values.
 */
function readConfig(file?: string): unknown {
  return JSON.parse(JSON.stringify(file ? readServerlessConfig(file) : readServerlessConfig()));
}

export interface ServerlessFileOptions {
  /** Default `local`, the stage `npm start` runs. */
  stage?: string;
  /** Default: `service` of the serverless file. */
  service?: string;
  /** Default: the project's serverless.yml. */
  serverlessFile?: string;
}

function loadConfig(options: ServerlessFileOptions) {
  const config = readConfig(options.serverlessFile) as ServerlessConfig;
  const declaredService = typeof config.service === 'string' ? config.service : config.service?.name;
  const service = options.service ?? declaredService;
  if (!service) throw new Error('The serverless file has no service name; pass `service`.');
  const stage = options.stage ?? 'local';
  return { config, service, stage, resolve: variableResolver(config, { service, stage, region: LOCAL_SQS_REGION }) };
}

/** Reads the queues of a serverless file and resolves their names for a stage and service. */
export function queueDefinitions(options: ServerlessFileOptions = {}): QueueDefinition[] {
  const { config, service, stage, resolve } = loadConfig(options);

  const resources = Object.entries(config.resources?.Resources ?? {}).filter(
    (entry): entry is [string, CfnQueue] => entry[1]?.Type === 'AWS::SQS::Queue',
  );
  const names = new Map<string, string>();
  for (const [logicalId, resource] of resources) {
    const props = resource.Properties ?? {};
    const fifo = props.FifoQueue === true || props.FifoQueue === 'true';
    // Without a QueueName CloudFormation generates `<stack>-<LogicalId>-<random>`; locally the random part is left out.
    const name = typeof props.QueueName === 'string' ? resolve(props.QueueName, logicalId) : `${service}-${stage}-${logicalId}${fifo ? '.fifo' : ''}`;
    names.set(logicalId, name);
  }

  return resources.map(([logicalId, resource]) => {
    const props = resource.Properties ?? {};
    const attributes: QueueDefinition['attributes'] = {};
    for (const key of PASSTHROUGH) {
      const value = props[key];
      if (value !== undefined && value !== null && typeof value !== 'object') attributes[key] = resolve(String(value), logicalId);
    }
    if (props.FifoQueue === true || props.FifoQueue === 'true') attributes.FifoQueue = 'true';
    const definition: QueueDefinition = { logicalId, name: names.get(logicalId)!, attributes, tags: {} };

    if (props.RedrivePolicy !== undefined) {
      const policy = (typeof props.RedrivePolicy === 'string' ? JSON.parse(props.RedrivePolicy) : props.RedrivePolicy) as {
        deadLetterTargetArn?: unknown;
        maxReceiveCount?: unknown;
      };
      const target = queueReference(policy.deadLetterTargetArn, names, resolve, logicalId);
      const maxReceiveCount = Number(policy.maxReceiveCount);
      if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1) {
        throw new Error(`${logicalId}: RedrivePolicy.maxReceiveCount must be a positive integer (got ${String(policy.maxReceiveCount)})`);
      }
      definition.deadLetterQueue = target;
      definition.maxReceiveCount = maxReceiveCount;
    }
    if (Array.isArray(props.Tags)) {
      for (const tag of props.Tags as { Key?: unknown; Value?: unknown }[]) {
        if (typeof tag.Key === 'string' && (typeof tag.Value === 'string' || typeof tag.Value === 'number')) {
          definition.tags[tag.Key] = resolve(String(tag.Value), logicalId);
        }
      }
    }
    return definition;
  });
}

/**
 * The logical id of the queue an ARN reference names: `!GetAtt Q.Arn` (either form) or a literal ARN
 * whose last segment is the resolved name of one of the file's queues.
 */
function queueReference(value: unknown, names: Map<string, string>, resolve: (s: string, at: string) => string, at: string): string {
  let logicalId: string | undefined;
  const getAtt = (value as { 'Fn::GetAtt'?: unknown } | null)?.['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string') logicalId = getAtt[0];
  else if (typeof getAtt === 'string' && getAtt.endsWith('.Arn')) logicalId = getAtt.slice(0, -'.Arn'.length);
  else if (typeof value === 'string') {
    const name = resolve(value, at).split(':').pop();
    logicalId = [...names].find(([, queueName]) => queueName === name)?.[0];
  }
  if (!logicalId || !names.has(logicalId)) {
    throw new Error(`${at}: RedrivePolicy.deadLetterTargetArn must name a queue of the same file (got ${JSON.stringify(value)})`);
  }
  return logicalId;
}

/**
 * Resolves the Serverless variables queue definitions and sqs events use: `${self:service}`,
 * `${sls:stage}`, `${self:custom.…}`, `${param:…}` (the stage's, then `default`), `${env:…}`, with fallbacks.
 */
function variableResolver(config: ServerlessConfig, values: { service: string; stage: string; region: string }) {
  const lookup = (expression: string, at: string, depth: number): string | undefined => {
    const source = expression.trim();
    const quoted = /^(['"])(.*)\1$/.exec(source);
    if (quoted) return quoted[2];
    switch (source) {
      case 'self:service':
        return values.service;
      case 'sls:stage':
      case 'opt:stage':
      case 'self:provider.stage':
        return values.stage;
      case 'aws:region':
      case 'opt:region':
      case 'self:provider.region':
        return values.region;
      case 'aws:accountId':
        return '000000000000';
    }
    let node: unknown;
    if (source.startsWith('self:custom.')) {
      node = config.custom;
      for (const key of source.slice('self:custom.'.length).split('.')) node = (node as Record<string, unknown> | undefined)?.[key];
    } else if (source.startsWith('param:')) {
      const name = source.slice('param:'.length);
      node = config.params?.[values.stage]?.[name] ?? config.params?.default?.[name];
    } else if (source.startsWith('env:')) {
      node = process.env[source.slice('env:'.length)];
    }
    if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') return resolveString(String(node), at, depth + 1);
    return undefined;
  };
  const resolveString = (text: string, at: string, depth = 0): string => {
    if (depth > 10) throw new Error(`${at}: variables nest too deeply in "${text}"`);
    return text.replace(/\$\{([^{}]+)\}/g, (whole, body: string) => {
      // `${a, b, 'default'}`: the first source that resolves wins.
      for (const alternative of body.split(',')) {
        const value = lookup(alternative, at, depth);
        if (value !== undefined) return value;
      }
      throw new Error(`${at}: cannot resolve ${whole} locally`);
    });
  };
  return (text: string, at: string) => resolveString(text, at);
}

/** Orders queues so that every dead-letter queue is created before the queues that redrive to it. */
export function deadLettersFirst(definitions: QueueDefinition[]): QueueDefinition[] {
  const byId = new Map(definitions.map((d) => [d.logicalId, d]));
  const ordered: QueueDefinition[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (definition: QueueDefinition) => {
    if (state.get(definition.logicalId) === 'done') return;
    if (state.get(definition.logicalId) === 'visiting') throw new Error(`Redrive policies form a cycle through ${definition.logicalId}`);
    state.set(definition.logicalId, 'visiting');
    if (definition.deadLetterQueue) visit(byId.get(definition.deadLetterQueue)!);
    state.set(definition.logicalId, 'done');
    ordered.push(definition);
  };
  definitions.forEach(visit);
  return ordered;
}

export async function startLocalSqs(options: LocalSqsOptions = {}): Promise<LocalSqs> {
  // Read (and validate) the definitions before anything listens.
  const definitions = deadLettersFirst(queueDefinitions(options));
  const app = buildApp({ logger: false, defaultRegion: LOCAL_SQS_REGION });
  const endpoint = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' }); // e.g. http://127.0.0.1:4566
  const client = new SQSClient({ endpoint, region: LOCAL_SQS_REGION, credentials: LOCAL_CREDENTIALS });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    client.destroy();
    await app.close();
  };

  const queues: Record<string, LocalQueue> = {};
  try {
    for (const definition of definitions) {
      const attributes = { ...definition.attributes };
      if (definition.deadLetterQueue) {
        attributes.RedrivePolicy = JSON.stringify({
          deadLetterTargetArn: queues[definition.deadLetterQueue]!.arn,
          maxReceiveCount: definition.maxReceiveCount,
        });
      }
      const { QueueUrl } = await client.send(
        new CreateQueueCommand({
          QueueName: definition.name,
          Attributes: attributes,
          ...(Object.keys(definition.tags).length ? { tags: definition.tags } : {}),
        }),
      );
      const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      if (!QueueUrl || !Attributes?.QueueArn) throw new Error(`The local SQS did not create ${definition.name}`);
      queues[definition.logicalId] = { logicalId: definition.logicalId, name: definition.name, url: QueueUrl, arn: Attributes.QueueArn };
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const queue = (logicalId: string): LocalQueue => {
    const found = queues[logicalId];
    if (!found) throw new Error(`No queue "${logicalId}" in the serverless file (have: ${Object.keys(queues).join(', ') || 'none'})`);
    return found;
  };
  return {
    endpoint,
    queues,
    queueUrl: (logicalId) => queue(logicalId).url,
    queueArn: (logicalId) => queue(logicalId).arn,
    client,
    stop,
  };
}

/** An `sqs` event of a function in serverless.yml, as its event source mapping is configured. */
export interface SqsEventSource {
  functionName: string;
  /** Logical id of the queue (`arn: !GetAtt <Queue>.Arn`). */
  queue: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  maximumConcurrency?: number;
  /** `functionResponseType: ReportBatchItemFailures`. */
  reportBatchItemFailures: boolean;
  enabled: boolean;
}

/** Every `sqs` event of the serverless file's functions, with its variables resolved for the stage. */
export function sqsEventSources(options: ServerlessFileOptions = {}): SqsEventSource[] {
  const { config, resolve } = loadConfig(options);
  const sources: SqsEventSource[] = [];
  for (const [functionName, fn] of Object.entries(config.functions ?? {})) {
    for (const event of fn.events ?? []) {
      if (event.sqs === undefined) continue;
      const sqs = (typeof event.sqs === 'object' && event.sqs !== null && !('Fn::GetAtt' in event.sqs) ? event.sqs : { arn: event.sqs }) as Record<string, unknown>;
      const getAtt = (sqs.arn as { 'Fn::GetAtt'?: unknown } | null)?.['Fn::GetAtt'];
      const queue = Array.isArray(getAtt) ? getAtt[0] : typeof getAtt === 'string' ? getAtt.replace(/\.Arn$/, '') : undefined;
      if (typeof queue !== 'string') throw new Error(`${functionName}: locally, an sqs event's arn must be !GetAtt <Queue>.Arn`);
      if (sqs.filterPatterns !== undefined) throw new Error(`${functionName}: sqs filterPatterns are not supported by the local delivery`);
      const value = (key: string) => (sqs[key] === undefined || sqs[key] === null ? undefined : resolve(String(sqs[key]), functionName));
      const number = (key: string, fallback?: number) => {
        const text = value(key);
        if (text === undefined) return fallback;
        const parsed = Number(text);
        if (!Number.isFinite(parsed)) throw new Error(`${functionName}: sqs ${key} is not a number (${text})`);
        return parsed;
      };
      const maximumConcurrency = number('maximumConcurrency');
      sources.push({
        functionName,
        queue,
        batchSize: number('batchSize', 10)!,
        maximumBatchingWindowSeconds: number('maximumBatchingWindow', 0)!,
        ...(maximumConcurrency !== undefined ? { maximumConcurrency } : {}),
        reportBatchItemFailures: value('functionResponseType') === 'ReportBatchItemFailures',
        enabled: value('enabled') !== 'false',
      });
    }
  }
  return sources;
}
