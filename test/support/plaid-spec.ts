/**
 * Contract checks against Plaid's published OpenAPI description
 * (`../shared/specs/plaid-openapi-2020-09-14.yml`). The sandbox bank's responses and the Plaid
 * adapter's requests are both held to it, so the two cannot drift apart while agreeing with each
 * other but not with Plaid.
 *
 * The spec is 3 MB of YAML: parsing it takes about a second, and every vitest worker is its own
 * process. So the parse is cached twice: in memory for the process, and on disk (a JSON copy of
 * only what validation needs, keyed by the spec's hash) so later workers skip the YAML parser.
 * Validators are compiled lazily, one per schema, and kept.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the spec lives; PLAID_OPENAPI_SPEC overrides it (e.g. to try a newer spec). */
export const PLAID_SPEC_PATH =
  process.env.PLAID_OPENAPI_SPEC ?? resolve(REPO_ROOT, '../shared/specs/plaid-openapi-2020-09-14.yml');
const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'plaid-spec');
/** Bump when the preprocessing below changes, so stale disk caches are ignored. */
const CACHE_FORMAT = 3;
const SCHEMA_ID = 'plaid-openapi';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaObject = { [key: string]: Json };

interface Operation {
  request?: SchemaObject;
  responses: Record<string, SchemaObject>;
}

/** The part of the spec validation needs, already rewritten into JSON Schema Ajv understands. */
interface PreparedSpec {
  version: string;
  operations: Record<string, Operation>;
  schemas: Record<string, SchemaObject>;
}

export interface ValidateOptions {
  /**
   * Also report properties the spec does not describe. Plaid's response schemas allow extra
   * properties (Plaid adds fields over time), so plain validation cannot catch a typo'd or
   * invented field; the sandbox bank's own tests use this to stay within what Plaid documents.
   */
  strict?: boolean;
}

let prepared: PreparedSpec | undefined;
let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function loadPrepared(): PreparedSpec {
  if (prepared) return prepared;
  const yamlText = readFileSync(PLAID_SPEC_PATH, 'utf8');
  const digest = createHash('sha256').update(yamlText).digest('hex').slice(0, 20);
  const cacheFile = join(CACHE_DIR, `${digest}-v${CACHE_FORMAT}.json`);
  try {
    prepared = JSON.parse(readFileSync(cacheFile, 'utf8')) as PreparedSpec;
    return prepared;
  } catch {
    // No usable cache yet: parse the YAML below.
  }
  prepared = prepareSpec(parse(yamlText, { maxAliasCount: -1 }) as unknown);
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    // Parallel workers may write at once: write aside, then rename (atomic on one filesystem).
    const temp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(prepared));
    renameSync(temp, cacheFile);
  } catch {
    // The disk cache is an optimisation only.
  }
  return prepared;
}

function prepareSpec(doc: unknown): PreparedSpec {
  if (!isObject(doc) || !isObject(doc.paths) || !isObject(doc.components) || !isObject(doc.components.schemas)) {
    throw new Error(`${PLAID_SPEC_PATH} does not look like an OpenAPI document`);
  }
  const operations: Record<string, Operation> = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    const post = isObject(item) ? item.post : undefined;
    if (!isObject(post)) continue;
    const operation: Operation = { responses: {} };
    const requestSchema = jsonContentSchema(post.requestBody);
    if (requestSchema) operation.request = toJsonSchema(requestSchema) as SchemaObject;
    for (const [status, response] of Object.entries(isObject(post.responses) ? post.responses : {})) {
      const schema = jsonContentSchema(response);
      if (schema) operation.responses[status] = toJsonSchema(schema) as SchemaObject;
    }
    operations[path] = operation;
  }
  const schemas: Record<string, SchemaObject> = {};
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    schemas[name] = toJsonSchema(schema) as SchemaObject;
  }
  const info = isObject(doc.info) ? doc.info : {};
  return { version: String(info.version ?? 'unknown'), operations, schemas };
}

function jsonContentSchema(holder: unknown): unknown {
  if (!isObject(holder) || !isObject(holder.content)) return undefined;
  const json = holder.content['application/json'];
  return isObject(json) ? json.schema : undefined;
}

/** Keywords that hold one subschema, a list of them, or a map of them. */
const SUBSCHEMA = ['items', 'not', 'additionalProperties'] as const;
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;
/** Documentation-only keywords: dropped, they only make the cached copy bigger. */
const DROPPED = new Set(['description', 'example', 'examples', 'x-examples', 'externalDocs', 'title', 'discriminator']);

/**
 * OpenAPI 3.0 schema → JSON Schema (draft-07, which Ajv speaks):
 * - `nullable: true` becomes a `null` type (or, on a `$ref`/`allOf` with no `type`, an `anyOf`
 *   with `null`). Ajv's own `nullable` support refuses schemas that have no `type`, and the Plaid
 *   spec has many nullable `$ref`s (e.g. `PlaidError` on `Item.error`).
 * - a nullable `enum` gets `null` added, or `null` would fail the enum.
 * - draft-04 style boolean `exclusiveMinimum`/`exclusiveMaximum` become draft-07 numbers.
 */
function toJsonSchema(node: unknown): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!isObject(node)) return node as Json;
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key) || key === 'nullable') continue;
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, toJsonSchema(schema)]));
    } else if ((SUBSCHEMA as readonly string[]).includes(key) || (SUBSCHEMA_LISTS as readonly string[]).includes(key)) {
      out[key] = toJsonSchema(value);
    } else {
      out[key] = value as Json;
    }
  }
  for (const [bound, limit] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof out[bound] === 'boolean') {
      if (out[bound] === true && typeof out[limit] === 'number') {
        out[bound] = out[limit];
        delete out[limit];
      } else {
        delete out[bound];
      }
    }
  }
  if (node.nullable !== true) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [{ type: 'null' }, out] };
}

function getAjv(): Ajv {
  if (ajv) return ajv;
  const spec = loadPrepared();
  // strict: false because OpenAPI documents are full of keywords JSON Schema does not know
  // (readOnly, x-* extensions…); validateSchema: false because meta-validating 3 MB of schemas
  // on every run buys nothing. Unknown formats are logged by Ajv; the spec's few odd ones
  // ("cognito", "valid") are registered as always-valid below to keep the log quiet.
  const instance = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
  addFormats(instance);
  // ajv-formats' "url" is a public-internet URL regex that refuses loopback and private hosts, so
  // every local webhook URL (http://127.0.0.1:3000/bank/webhook) would fail. The spec only means
  // "a URL"; reachability is Plaid's concern at runtime, not the schema's.
  instance.addFormat('url', { type: 'string', validate: isHttpUrl });
  for (const format of collectFormats(spec)) {
    if (!instance.formats[format]) instance.addFormat(format, true);
  }
  instance.addSchema({ $id: SCHEMA_ID, components: { schemas: spec.schemas }, operations: spec.operations });
  ajv = instance;
  return instance;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function collectFormats(spec: PreparedSpec): Set<string> {
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (isObject(node)) {
      if (typeof node.format === 'string') found.add(node.format);
      Object.values(node).forEach(walk);
    }
  };
  walk(spec.schemas);
  walk(spec.operations);
  found.delete('');
  return found;
}

function pointer(...segments: string[]): string {
  return segments.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
}

function validatorFor(ref: string): ValidateFunction {
  let validate = validators.get(ref);
  if (!validate) {
    validate = getAjv().compile({ $ref: `${SCHEMA_ID}#/${ref}` });
    validators.set(ref, validate);
  }
  return validate;
}

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const at = error.instancePath === '' ? '(root)' : error.instancePath;
    const params = error.params as Record<string, unknown>;
    const detail =
      params.additionalProperty !== undefined
        ? ` (${String(params.additionalProperty)})`
        : Array.isArray(params.allowedValues)
          ? ` (${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`
          : '';
    return `${at} ${error.message ?? 'is invalid'}${detail}`;
  });
}

function run(ref: string, value: unknown, options: ValidateOptions): string[] {
  const validate = validatorFor(ref);
  const errors = validate(value) ? [] : formatErrors(validate.errors);
  if (options.strict) errors.push(...undocumentedFields(resolveRef(`#/${ref}`), value, ''));
  return [...new Set(errors)];
}

function operation(path: string): Operation {
  const op = loadPrepared().operations[path];
  if (!op) throw new Error(`The Plaid spec has no POST ${path}`);
  return op;
}

/** Errors of `body` against the request schema of `POST path`; empty when valid. */
export function validateRequest(path: string, body: unknown, options: ValidateOptions = {}): string[] {
  if (!operation(path).request) throw new Error(`POST ${path} has no JSON request body in the spec`);
  return run(pointer('operations', path, 'request'), body, options);
}

/**
 * Errors of `body` against the response schema of `POST path` for `status`; a status the spec does
 * not list falls back to `default` (which is `PlaidError` for every Plaid endpoint), and an error
 * status with neither falls back to `PlaidError`.
 */
export function validateResponse(path: string, status: number, body: unknown, options: ValidateOptions = {}): string[] {
  const responses = operation(path).responses;
  const key = String(status);
  if (responses[key]) return run(pointer('operations', path, 'responses', key), body, options);
  if (responses.default) return run(pointer('operations', path, 'responses', 'default'), body, options);
  if (status >= 400) return validateSchema('PlaidError', body, options);
  throw new Error(`POST ${path} has no response schema for ${status}`);
}

/** Errors of `value` against `#/components/schemas/<name>` (webhook bodies, nested objects). */
export function validateSchema(name: string, value: unknown, options: ValidateOptions = {}): string[] {
  if (!loadPrepared().schemas[name]) throw new Error(`The Plaid spec has no schema ${name}`);
  return run(pointer('components', 'schemas', name), value, options);
}

/** The spec's version string, e.g. `2020-09-14_1.697.4`. */
export function plaidSpecVersion(): string {
  return loadPrepared().version;
}

// ── undocumented-field check ───────────────────────────────────────────────────────────────

const refCache = new Map<string, unknown>();

function resolveRef(ref: string): unknown {
  if (refCache.has(ref)) return refCache.get(ref);
  const spec = loadPrepared();
  const parts = ref.replace(/^#\//, '').split('/').map((p) => decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = { components: { schemas: spec.schemas }, operations: spec.operations };
  for (const part of parts) node = isObject(node) ? node[part] : undefined;
  refCache.set(ref, node);
  return node;
}

/** What the undocumented-field walk needs to know about a schema, computed once per schema. */
interface Shape {
  /** Schemas for array elements, from every branch. */
  items: unknown[];
  /** Property name → its schemas across branches; undefined for free-form objects. */
  properties: Map<string, unknown[]> | undefined;
}

const shapes = new WeakMap<object, Shape>();

/** Every schema a value at this point may be described by: follows `$ref` and combinators. */
function branches(schema: unknown, seen = new Set<unknown>()): Record<string, unknown>[] {
  if (!isObject(schema) || seen.has(schema)) return [];
  seen.add(schema);
  const out: Record<string, unknown>[] = [schema];
  if (typeof schema.$ref === 'string') out.push(...branches(resolveRef(schema.$ref), seen));
  for (const key of SUBSCHEMA_LISTS) {
    const list = schema[key];
    if (Array.isArray(list)) for (const sub of list) out.push(...branches(sub, seen));
  }
  return out;
}

function shapeOf(schema: Record<string, unknown>): Shape {
  let shape = shapes.get(schema);
  if (shape) return shape;
  const all = branches(schema);
  const described = all.filter((s) => isObject(s.properties));
  let properties: Map<string, unknown[]> | undefined;
  // Free-form objects (no properties anywhere, or a schema for additionalProperties) are maps.
  if (described.length > 0 && !all.some((s) => isObject(s.additionalProperties))) {
    properties = new Map();
    for (const s of described) {
      for (const [name, sub] of Object.entries(s.properties as Record<string, unknown>)) {
        properties.set(name, [...(properties.get(name) ?? []), sub]);
      }
    }
  }
  shape = { items: all.map((s) => s.items).filter((s) => s !== undefined), properties };
  shapes.set(schema, shape);
  return shape;
}

/**
 * Paths of properties no schema describes. Lenient on purpose: a property is documented if any
 * branch of a oneOf/anyOf names it, and free-form objects are never flagged.
 */
function undocumentedFields(schema: unknown, value: unknown, at: string): string[] {
  if (!isObject(schema) || (typeof value !== 'object' || value === null)) return [];
  const shape = shapeOf(schema);
  if (Array.isArray(value)) {
    return value.flatMap((element, i) => shape.items.flatMap((s) => undocumentedFields(s, element, `${at}/${i}`)));
  }
  if (!shape.properties) return [];
  const found: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const schemas = shape.properties.get(key);
    if (!schemas) found.push(`${at}/${key} is not described by the spec`);
    else found.push(...schemas.flatMap((s) => undocumentedFields(s, child, `${at}/${key}`)));
  }
  return found;
}
