import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { projectRoot } from '../../dev/serverless-config';
import { DEFAULT_KEY_CACHE_TTL_SECONDS } from '../../lib/banking/webhook-verification';
import { issueLinkToken } from '../../lib/consent/link-token';
import { SECRETS } from './env';
import type { Stack } from './stack';

/**
 * First events for the cold-start benchmark that do what a container's first event does in
 * production, where the samples in events/ would stop early: a consent page opened from a valid
 * link, a sync of a linked connection (one bank call), a bank webhook signed by the sandbox bank
 * (verified with the bank's key, which a cold container finds in the table's shared key cache, as
 * all but the first container of a key's life do). The bank-calling functions load the Plaid SDK
 * on the first bank call, so a first event that never reaches the bank would hide that cost. The
 * consent sweep keeps its sample event (bench/cold-start.ts) but finds a watermark, as in
 * production (the last day a sweep completed): yesterday's is recorded here.
 */
export async function realisticFirstEvents(stack: Stack, tables: { main: string; audit: string }): Promise<{ events: Record<string, (run: number) => Promise<unknown>>; close(): Promise<void> }> {
  const person = await stack.link(tables);
  // The sandbox bank posts its signed webhooks here; their bytes and signature make the event.
  const received: { body: string; headers: IncomingHttpHeaders }[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  stack.bank.controls.setWebhookUrl(person.itemId, `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`);
  const sample = (file: string) => JSON.parse(readFileSync(join(projectRoot, 'events', file), 'utf8')) as Record<string, unknown>;
  // Yesterday's sweep completed, as in production: the unmeasured first run reads yesterday and
  // today (2 + 2 buckets) and moves the watermark to today, so the measured runs find today's, as
  // 23 of a day's 24 hourly runs do (1 + 1 buckets). Without it that first run would look back a
  // month, as a sweep's very first run does.
  await stack.store(tables).store.recordConsentSweep(new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
  // The person's transactions, every page, as a first sync stores them: what a spending picture draws.
  const { store: personStore, financial } = stack.store(tables);
  const [consent] = await personStore.listConsents(person.psid);
  const token = await financial.accessToken(consent!, 'transactions');
  for (let cursor: string | undefined, pages = 0, more = true; more && pages < 20; pages++) {
    const page = await stack.connector.syncTransactions(token, cursor);
    await financial.applyTransactionsPage(consent!, page);
    [cursor, more] = [page.nextCursor, page.hasMore];
  }

  return {
    events: {
      consent: async (run) => {
        const { token } = issueLinkToken({ purpose: 'consent', psid: `88${Date.now()}${run}`, ttlSeconds: 1_800, now: new Date() }, SECRETS.CONSENT_LINK_SECRET);
        return { ...sample('consent.get.json'), rawQueryString: `t=${encodeURIComponent(token)}`, queryStringParameters: { t: token } };
      },
      syncWorker: async (run) => {
        const event = sample('syncWorker.sqs.json') as { Records: Record<string, unknown>[] };
        return { Records: [{ ...event.Records[0], messageId: `cold-${run}`, body: JSON.stringify({ psid: person.psid, itemId: person.itemId, reason: 'webhook' }) }] };
      },
      // A picture of spending the sandbox bank's transactions show (synced once, below): a fresh
      // key each run, so each cold container draws and sends it rather than finding it sent.
      spendingPicture: async (run) => {
        const event = sample('spendingPicture.sqs.json') as { Records: Record<string, unknown>[] };
        const to = new Date().toISOString().slice(0, 10);
        const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
        const body = { psid: person.psid, key: `m_cold_${Date.now()}_${run}`, period: { spec: 'last-30-days', from, to }, language: 'en' };
        return { Records: [{ ...event.Records[0], messageId: `cold-${run}`, body: JSON.stringify(body) }] };
      },
      bankWebhook: async () => {
        // fireWebhook resolves once the receiver answered.
        await stack.bank.controls.fireWebhook(person.itemId, 'SYNC_UPDATES_AVAILABLE');
        const delivery = received.at(-1)!;
        // In production only the first container of a key's life asks the bank for it (and shares
        // it); every later cold container finds it in the table. So the key is shared here, as
        // that first container would have, rather than left to whichever run comes first.
        const { kid } = decodeProtectedHeader(String(delivery.headers['plaid-verification']));
        const key = await stack.connector.getWebhookVerificationKey(String(kid));
        await stack.store(tables).store.putWebhookKey({ ...key, fetchedAt: Math.floor(Date.now() / 1000) }, DEFAULT_KEY_CACHE_TTL_SECONDS);
        const event = sample('bankWebhook.post.json') as { headers: Record<string, string> };
        return { ...event, body: delivery.body, headers: { ...event.headers, 'plaid-verification': String(delivery.headers['plaid-verification']) } };
      },
    },
    close: () => new Promise<void>((resolve) => receiver.close(() => resolve())),
  };
}
