/** What the deploy check reads from CloudFormation templates: pure functions, tested on their own. */

export interface TemplateResource {
  Type: string;
  Condition?: string;
  DependsOn?: string | string[];
  Properties?: Record<string, unknown>;
}
export interface Template {
  Resources: Record<string, TemplateResource>;
}

/**
 * moto's gap 2: its CloudFormation implements only some resource types and skips the others (a
 * warning in its log; the stack still completes). Resources of these types are checked by cfn-lint
 * (their properties against AWS's schemas) and by test/serverless/package.test.ts, not by the
 * deploy. Any other resource moto does not create fails the check: either the deploy lost it, or
 * moto skips one more type, which then belongs here with its reason.
 */
export const MOTO_SKIPPED_TYPES: Readonly<Record<string, string>> = {
  'AWS::ApiGatewayV2::Api': 'HTTP API',
  'AWS::ApiGatewayV2::Integration': 'HTTP API',
  'AWS::ApiGatewayV2::Route': 'HTTP API',
  'AWS::ApiGatewayV2::Stage': 'HTTP API',
  'AWS::CloudWatch::Alarm': 'alarms',
  'AWS::Lambda::EventInvokeConfig': 'schedule retries',
  'AWS::Logs::MetricFilter': 'signature-refused metric',
  'AWS::S3::BucketPolicy': 'deployment bucket TLS policy',
  'AWS::SQS::QueuePolicy': 'schedule DLQ policy',
};

export interface DeploySummary {
  created: number;
  /** Resource type → how many moto skipped (MOTO_SKIPPED_TYPES). */
  skipped: Record<string, number>;
  /** Resources created only when their condition holds: not expected either way. */
  conditional: string[];
  /** Resources neither created nor explained: the check fails on these. */
  missing: string[];
}

/** Compares the template with the logical ids of the resources moto created. */
export function summariseDeploy(template: Template, createdIds: Iterable<string>): DeploySummary {
  const created = new Set(createdIds);
  const summary: DeploySummary = { created: 0, skipped: {}, conditional: [], missing: [] };
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (created.has(id)) summary.created += 1;
    else if (resource.Condition) summary.conditional.push(`${id} (${resource.Condition})`);
    else if (resource.Type in MOTO_SKIPPED_TYPES) summary.skipped[resource.Type] = (summary.skipped[resource.Type] ?? 0) + 1;
    else summary.missing.push(`${id} (${resource.Type})`);
  }
  return summary;
}

/**
 * .cfnlintrc.yaml ignores W3005 (a DependsOn that a Ref or GetAtt already implies) because osls
 * generates those. serverless.yml's own resources must then carry none, or the ignore would hide
 * a hand-written one too.
 */
export function declaredDependsOn(resources: Record<string, { DependsOn?: unknown }> | undefined): string[] {
  return Object.entries(resources ?? {})
    .filter(([, resource]) => resource.DependsOn !== undefined)
    .map(([id]) => id);
}

/** Where CloudFormation took a function's code from: its S3 key in the deployment bucket. */
export function functionCodeKey(template: Template, functionName: string): string {
  const id = `${functionName.charAt(0).toUpperCase()}${functionName.slice(1)}LambdaFunction`;
  const code = template.Resources[id]?.Properties?.Code as { S3Key?: unknown } | undefined;
  if (typeof code?.S3Key !== 'string') throw new Error(`the deployed template has no S3 code for ${id}`);
  return code.S3Key;
}

/** `functions/messenger-webhook.handler` → the module file in the bundle and its export. */
export function handlerEntry(handler: string, files: string[]): { file: string; exportName: string } {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) throw new Error(`not a Lambda handler: ${handler}`);
  const base = handler.slice(0, dot);
  // Lambda's Node runtime tries these extensions in this order.
  const file = ['.js', '.mjs', '.cjs'].map((ext) => `${base}${ext}`).find((candidate) => files.includes(candidate));
  if (!file) throw new Error(`the bundle has no module for ${handler} (files: ${files.join(', ')})`);
  return { file, exportName: handler.slice(dot + 1) };
}

export const describeSkipped = (skipped: Record<string, number>) =>
  Object.entries(skipped)
    .sort(([, a], [, b]) => b - a)
    .map(([type, count]) => `${type.replace(/^AWS::/, '')} ×${count}`)
    .join(', ');
