/**
 * Plaid's published OpenAPI description as validators, so tests check what the adapter sends and
 * what the test server answers against the real contract instead of against our own reading of it.
 *
 * OpenAPI 3.0 is close to JSON Schema draft-07 but not equal; before Ajv sees the document:
 * - `nullable: true` becomes `type: [t, 'null']` (or `anyOf [..., {type: null}]` when untyped);
 * - draft-04 boolean `exclusiveMinimum` / `exclusiveMaximum` become draft-07 numbers;
 * - for requests, objects that do not say otherwise are closed (`additionalProperties: false`),
 *   as Plaid's API answers an unknown field with INVALID_REQUEST / UNKNOWN_FIELDS. Responses stay
 *   open, as the spec writes them.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

export const PLAID_SPEC_PATH = new URL('../../../../shared/specs/plaid-openapi-2020-09-14.yml', import.meta.url);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const COMPOSITIONS = new Set(['allOf', 'anyOf', 'oneOf']);

function toDraft07(node: Json, closeObjects: boolean, parentKey?: string): Json {
  if (Array.isArray(node)) return node.map((item) => toDraft07(item, closeObjects, parentKey));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    // `properties` maps names to schemas: its keys are not keywords.
    out[key] = key === 'properties' && isObject(value)
      ? Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, toDraft07(schema, closeObjects)]))
      : toDraft07(value, closeObjects, key);
  }
  for (const bound of ['exclusiveMinimum', 'exclusiveMaximum'] as const) {
    const limit = bound === 'exclusiveMinimum' ? 'minimum' : 'maximum';
    if (typeof out[bound] === 'boolean') {
      if (out[bound] === true && typeof out[limit] === 'number') {
        out[bound] = out[limit];
        delete out[limit];
      } else {
        delete out[bound];
      }
    }
  }
  // A member of allOf cannot be closed without rejecting the other members' properties.
  const composed = parentKey !== undefined && COMPOSITIONS.has(parentKey);
  if (closeObjects && !composed && isObject(out.properties) && out.additionalProperties === undefined && out.allOf === undefined) {
    out.additionalProperties = false;
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    } else {
      return { anyOf: [out, { type: 'null' }] };
    }
  } else if (out.nullable !== undefined) {
    delete out.nullable;
  }
  return out;
}

function createAjv(document: JsonObject, closeObjects: boolean): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addFormat('url', { validate: (value: string) => URL.canParse(value) });
  for (const lax of ['double', 'float', 'binary', 'cognito_id']) ajv.addFormat(lax, true);
  const components = toDraft07(document.components ?? {}, closeObjects);
  const paths = toDraft07(document.paths ?? {}, closeObjects);
  ajv.addSchema({ $id: 'plaid', components, paths } as Record<string, unknown>);
  return ajv;
}

const pointer = (...segments: string[]) => segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export interface PlaidSpec {
  /** Validates the JSON body of `POST path` as Plaid's API would accept it. */
  request(path: string): ValidateFunction;
  /** Validates the JSON body of `POST path`'s answer for `status` ('200', or 'default' for errors). */
  response(path: string, status?: string): ValidateFunction;
  /** The paths the spec describes. */
  paths(): string[];
}

export function loadPlaidSpec(file: URL | string = PLAID_SPEC_PATH): PlaidSpec {
  const document = parse(readFileSync(file, 'utf8')) as JsonObject;
  const requests = createAjv(document, true);
  const responses = createAjv(document, false);
  const cache = new Map<string, ValidateFunction>();
  const compile = (ajv: Ajv, ref: string) => {
    const key = `${ajv === requests ? 'req' : 'res'} ${ref}`;
    let validate = cache.get(key);
    if (!validate) {
      validate = ajv.compile({ $ref: ref });
      cache.set(key, validate);
    }
    return validate;
  };
  const paths = isObject(document.paths) ? document.paths : {};
  const operation = (path: string) => {
    const post = isObject(paths[path]) ? (paths[path] as JsonObject).post : undefined;
    if (!isObject(post)) throw new Error(`the Plaid spec has no POST ${path}`);
    return post;
  };
  return {
    request(path) {
      operation(path);
      return compile(requests, `plaid#/paths/${pointer(path, 'post', 'requestBody', 'content', 'application/json', 'schema')}`);
    },
    response(path, status = '200') {
      operation(path);
      return compile(responses, `plaid#/paths/${pointer(path, 'post', 'responses', status, 'content', 'application/json', 'schema')}`);
    },
    paths: () => Object.keys(paths),
  };
}

/** Ajv's errors as short lines for an assertion message. */
export const describeSpecErrors = (errors: ErrorObject[] | null | undefined): string =>
  (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n');
