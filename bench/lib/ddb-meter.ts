import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A metering proxy in front of DynamoDB Local (or the local SQS). The bundled handlers create their
 * own SDK clients, so an SDK middleware cannot be slipped into them; pointing their endpoint here
 * instead meters exactly what ships. For DynamoDB it adds `ReturnConsumedCapacity: INDEXES` to
 * every request that accepts it and sums the units DynamoDB Local reports (table and GSI).
 * DynamoDB Local signs nothing it checks, so the rewritten body is accepted.
 *
 * Failed conditional writes return no ConsumedCapacity; AWS still charges them (at least 1 WCU,
 * more for a larger item). They are counted per AWS's rule from the request's item size.
 *
 * DynamoDB Local reports 2 units per table for any TransactWriteItems, whatever the number and
 * size of its items (checked: 1, 2, 5 and 10 puts all report 2). AWS charges 2 write units per
 * item per started KB, plus the GSI write of items that carry GSI keys. So transactions are
 * counted from the request instead, per those rules; `transactWriteUnits` says how many.
 */
const CAPACITY_OPS = new Set([
  'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'TransactWriteItems', 'TransactGetItems',
]);
const READ_OPS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

export interface MeterTotals {
  /** Requests by operation (X-Amz-Target's operation name). */
  requests: Record<string, number>;
  readUnits: number;
  writeUnits: number;
  /** Units estimated for requests DynamoDB answered with an error (conditional check failed…). */
  estimatedWriteUnits: number;
  /** Of writeUnits: computed from TransactWriteItems requests (DynamoDB Local under-reports them). */
  transactWriteUnits: number;
  errors: Record<string, number>;
}

export interface Meter {
  url: string;
  snapshot(): MeterTotals;
  reset(): void;
  close(): Promise<void>;
}

interface Capacity {
  TableName?: string;
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

const empty = (): MeterTotals => ({ requests: {}, readUnits: 0, writeUnits: 0, estimatedWriteUnits: 0, transactWriteUnits: 0, errors: {} });

/** `latencyMs`: an added delay before each answer, standing in for the network round trip to the AWS service. */
export async function startMeter(target: string, options: { dynamodb?: boolean; latencyMs?: number } = { dynamodb: true }): Promise<Meter> {
  const upstream = new URL(target);
  let totals = empty();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const targetHeader = String(req.headers['x-amz-target'] ?? '');
      const op = targetHeader.split('.').pop() || req.url || '?';
      totals.requests[op] = (totals.requests[op] ?? 0) + 1;
      let body = Buffer.concat(chunks);
      const metered = options.dynamodb && CAPACITY_OPS.has(op);
      if (metered) {
        const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        json.ReturnConsumedCapacity = 'INDEXES';
        body = Buffer.from(JSON.stringify(json));
      }
      const headers: IncomingHttpHeaders = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
      const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
        const out: Buffer[] = [];
        answer.on('data', (c: Buffer) => out.push(c));
        answer.on('end', () => {
          const responseBody = Buffer.concat(out);
          if (metered) account(op, body, answer.statusCode ?? 0, responseBody);
          const reply = () => res.writeHead(answer.statusCode ?? 500, answer.headers).end(responseBody);
          if (options.latencyMs) setTimeout(reply, options.latencyMs);
          else reply();
        });
      });
      forward.on('error', (error) => res.destroy(error));
      forward.end(body);
    });
  });

  const account = (op: string, requestBody: Buffer, status: number, responseBody: Buffer) => {
    let parsed: { ConsumedCapacity?: Capacity | Capacity[]; __type?: string } = {};
    try {
      parsed = JSON.parse(responseBody.toString('utf8')) as typeof parsed;
    } catch {
      return;
    }
    if (status >= 400) {
      const type = String(parsed.__type ?? 'error').split('#').pop()!;
      totals.errors[type] = (totals.errors[type] ?? 0) + 1;
      if (!READ_OPS.has(op)) totals.estimatedWriteUnits += estimateFailedWrite(op, requestBody);
      return;
    }
    if (op === 'TransactWriteItems') {
      const units = transactWriteUnits(requestBody);
      totals.writeUnits += units;
      totals.transactWriteUnits += units;
      return;
    }
    const list = Array.isArray(parsed.ConsumedCapacity) ? parsed.ConsumedCapacity : parsed.ConsumedCapacity ? [parsed.ConsumedCapacity] : [];
    for (const c of list) {
      const units = c.CapacityUnits ?? 0;
      if (READ_OPS.has(op)) totals.readUnits += units;
      else totals.writeUnits += units;
    }
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    snapshot: () => structuredClone(totals),
    reset: () => void (totals = empty()),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type AttributeValue = { S?: string; N?: string; B?: string; BOOL?: boolean; NULL?: boolean; M?: Record<string, AttributeValue>; L?: AttributeValue[]; SS?: string[]; NS?: string[] };

/** Item size as DynamoDB counts it: attribute names plus values (strings in UTF-8 bytes, numbers about half their digits). */
export function itemSize(item: Record<string, AttributeValue>): number {
  const valueSize = (v: AttributeValue): number => {
    if (v.S !== undefined) return Buffer.byteLength(v.S);
    if (v.N !== undefined) return Math.ceil(v.N.replace(/^-/, '').length / 2) + 1;
    if (v.B !== undefined) return Buffer.from(v.B, 'base64').length;
    if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
    if (v.M) return 3 + itemSize(v.M) + Object.keys(v.M).length;
    if (v.L) return 3 + v.L.reduce((n, e) => n + valueSize(e) + 1, 0);
    if (v.SS) return v.SS.reduce((n, e) => n + Buffer.byteLength(e), 0);
    if (v.NS) return v.NS.reduce((n, e) => n + Math.ceil(e.length / 2) + 1, 0);
    return 0;
  };
  return Object.entries(item).reduce((n, [name, value]) => n + Buffer.byteLength(name) + valueSize(value), 0);
}

/** AWS: 2 units per item per started KB in a transaction; items written with GSI keys also write the index. */
function transactWriteUnits(body: Buffer): number {
  const json = JSON.parse(body.toString('utf8')) as { TransactItems?: { Put?: { Item: Record<string, AttributeValue> }; Update?: { ExpressionAttributeValues?: Record<string, AttributeValue> }; Delete?: unknown; ConditionCheck?: unknown }[] };
  let units = 0;
  for (const t of json.TransactItems ?? []) {
    if (t.Put) {
      units += 2 * Math.max(1, Math.ceil(itemSize(t.Put.Item) / 1024));
      if (t.Put.Item.gsi1pk) units += Math.max(1, Math.ceil(itemSize(t.Put.Item) / 1024));
    } else {
      // Update, Delete, ConditionCheck: the item's size is not in the request; our connection,
      // consent and cursor items are under 1 KB (checked with GetItem in the benchmark's own runs).
      units += 2;
    }
  }
  return units;
}

/** AWS: a write whose condition fails still consumes units for the item size (at least 1 per item, 2 in a transaction). */
function estimateFailedWrite(op: string, body: Buffer): number {
  const json = JSON.parse(body.toString('utf8')) as { Item?: Record<string, AttributeValue>; TransactItems?: unknown[] };
  if (op === 'TransactWriteItems') return transactWriteUnits(body);
  return Math.max(1, Math.ceil((json.Item ? itemSize(json.Item) : 0) / 1024));
}

export function diff(after: MeterTotals, before: MeterTotals): MeterTotals {
  const sub = (a: Record<string, number>, b: Record<string, number>) =>
    Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (b[k] ?? 0)]).filter(([, v]) => v !== 0));
  return {
    requests: sub(after.requests, before.requests),
    readUnits: after.readUnits - before.readUnits,
    writeUnits: after.writeUnits - before.writeUnits,
    estimatedWriteUnits: after.estimatedWriteUnits - before.estimatedWriteUnits,
    transactWriteUnits: after.transactWriteUnits - before.transactWriteUnits,
    errors: sub(after.errors, before.errors),
  };
}
