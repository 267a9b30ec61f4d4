import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import {
  OutsideMessagingWindow,
  PageTokenInvalid,
  RecipientUnavailable,
  SendApiError,
  SendApiRateLimited,
  SendApiRejected,
  SendApiUnavailable,
} from '../errors';
import * as z from 'zod/mini';
import '../validation';
import { createGraphTransport, type GraphHttp } from './graph-transport';

// ---- Meta's JSON, field names as the Send API spells them ----------------------------------------

/** RESPONSE/UPDATE inside the 24-hour window; UTILITY (a Page-owned utility template) outside it. */
export type MessagingType = 'RESPONSE' | 'UPDATE' | 'UTILITY';
export type SenderAction = 'typing_on' | 'typing_off' | 'mark_seen';

export interface QuickReply {
  content_type: 'text';
  title: string;
  payload: string;
}

/** A quick reply; Messenger cuts titles at 20 characters, so they are cut here first. */
export const qr = (title: string, payload: string): QuickReply => ({ content_type: 'text', title: title.slice(0, 20), payload });

export type Button =
  | { type: 'postback'; title: string; payload: string }
  | { type: 'web_url'; title: string; url: string; webview_height_ratio?: 'compact' | 'tall' | 'full' }
  | { type: 'account_link'; url: string };

export interface ButtonTemplate {
  type: 'template';
  payload: { template_type: 'button'; text: string; buttons: Button[] };
}

/**
 * A message the product composes: text above buttons. Messenger refuses a button template whose
 * text is over 640 characters, so a composed message is cut to fit here, once for every caller;
 * `sendButtons` below takes text as given and refuses it when too long.
 */
export const buttonTemplate = (text: string, buttons: Button[], quickReplies?: QuickReply[]): OutboundMessage => ({
  attachment: { type: 'template', payload: { template_type: 'button', text: text.slice(0, 640), buttons } },
  ...(quickReplies ? { quick_replies: quickReplies } : {}),
});

/** A utility message: an approved Page-owned template filled in at send time. */
export interface UtilityTemplate {
  name: string;
  language: { code: string };
  components: (
    | { type: 'body'; parameters: { type: 'text'; text: string }[] }
    | { type: 'buttons'; parameters: { type: 'POSTBACK'; payload: string }[] }
  )[];
}

/**
 * A picture uploaded with the message that carries it (Meta's "upload and send" in one request):
 * not saved as a reusable Page asset, since it shows the person's own figures.
 */
export interface ImageAttachment {
  type: 'image';
  payload: { is_reusable: false };
}

/** The picture's file: sent as the multipart `filedata` field, never in the JSON. */
export interface ImageFile {
  contentType: 'image/png';
  filename: string;
  bytes: Uint8Array;
}

export type OutboundMessage =
  | { text: string; quick_replies?: QuickReply[] }
  | { attachment: ButtonTemplate; quick_replies?: QuickReply[] };

/** An image: the attachment in the message, its bytes beside it (the client sends them as a file). */
export interface ImageMessage {
  attachment: ImageAttachment;
  filedata: ImageFile;
}

export const imageMessage = (file: ImageFile): ImageMessage => ({ attachment: { type: 'image', payload: { is_reusable: false } }, filedata: file });

export interface UtilityMessage {
  template: UtilityTemplate;
}

export type SendRequest =
  | { recipient: { id: string }; messaging_type: Exclude<MessagingType, 'UTILITY'>; message: OutboundMessage }
  | { recipient: { id: string }; messaging_type: 'UTILITY'; message: UtilityMessage }
  | { recipient: { id: string }; sender_action: SenderAction };

/** An image with its message: sent as multipart/form-data (Meta's "upload and send"), never as JSON. */
export interface ImageRequest {
  recipient: { id: string };
  messaging_type: Exclude<MessagingType, 'UTILITY'>;
  message: ImageMessage;
}

export interface SendResult {
  recipientId: string;
  messageId?: string;
}

export interface SendOptions {
  messagingType?: Exclude<MessagingType, 'UTILITY'>;
}

export interface SendApi {
  send(request: SendRequest): Promise<SendResult>;
  /** An image uploaded with the message that carries it, in one multipart request. */
  sendImage(request: ImageRequest): Promise<SendResult>;
  sendText(psid: string, text: string, opts?: SendOptions): Promise<SendResult>;
  sendQuickReplies(
    psid: string,
    text: string,
    quickReplies: readonly { title: string; payload: string }[],
    opts?: SendOptions,
  ): Promise<SendResult>;
  sendButtons(psid: string, text: string, buttons: readonly Button[], opts?: SendOptions): Promise<SendResult>;
  senderAction(psid: string, action: SenderAction): Promise<SendResult>;
  /** The PSID of the person behind an account_linking_token (Messenger account linking). */
  accountLinkingPsid(accountLinkingToken: string): Promise<string>;
  /** Handover protocol: gives the thread to another app (the Page inbox, for a person to answer). */
  passThreadControl(psid: string, targetAppId: string, metadata?: string): Promise<void>;
}

export interface SendApiConfig {
  graphApiUrl: string;
  pageAccessToken: string;
  timeoutMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface SendApiDeps {
  /** How requests reach Graph; node:http(s) through the AWS SDK's handler unless given (fetch fits). */
  http?: GraphHttp;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

// ---- Outbound limits (checked before anything leaves the process) -------------------------------

const str = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));
const title = str(1, 20);
const payload = str(1, 1000);

const buttonSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('postback'), title, payload }),
  z.object({
    type: z.literal('web_url'),
    title,
    url: z.url({ protocol: /^https?$/ }),
    webview_height_ratio: z.optional(z.enum(['compact', 'tall', 'full'])),
  }),
  // Meta opens the login page inside Messenger only over HTTPS.
  z.object({ type: z.literal('account_link'), url: z.url({ protocol: /^https$/ }) }),
]);

const utilityTemplateSchema = z.object({
  name: str(1, 512),
  language: z.object({ code: str(2, 15) }),
  components: z
    .array(
      z.discriminatedUnion('type', [
        z.object({ type: z.literal('body'), parameters: z.array(z.object({ type: z.literal('text'), text: str(1, 1024) })).check(z.maxLength(10)) }),
        z.object({ type: z.literal('buttons'), parameters: z.array(z.object({ type: z.literal('POSTBACK'), payload })).check(z.minLength(1), z.maxLength(3)) }),
      ]),
    )
    .check(z.maxLength(5)),
});

// Meta takes images up to 8 MB by URL and files up to 25 MB; a chart is tens of kilobytes.
const MAX_IMAGE_BYTES = 8 * 1024 * 1024;

const messageSchema = z
  .object({
    template: z.optional(utilityTemplateSchema),
    text: z.optional(str(1, 2000)),
    attachment: z.optional(
      z.discriminatedUnion('type', [
        z.object({
          type: z.literal('template'),
          payload: z.object({
            template_type: z.literal('button'),
            text: str(1, 640),
            buttons: z.array(buttonSchema).check(z.minLength(1), z.maxLength(3)),
          }),
        }),
        z.object({ type: z.literal('image'), payload: z.object({ is_reusable: z.literal(false) }) }),
      ]),
    ),
    filedata: z.optional(
      z.object({
        contentType: z.literal('image/png'),
        filename: z.string().check(z.regex(/^[\w.-]{1,64}$/)),
        bytes: z.instanceof(Uint8Array).check(z.refine((b) => b.byteLength > 0 && b.byteLength <= MAX_IMAGE_BYTES, 'an image of 1 byte to 8 MB')),
      }),
    ),
    quick_replies: z.optional(
      z.array(z.object({ content_type: z.literal('text'), title, payload })).check(z.minLength(1), z.maxLength(13)),
    ),
  })
  .check(
    z.refine((m) => [m.text, m.attachment, m.template].filter((part) => part !== undefined).length === 1, {
      message: 'a message needs exactly one of text, attachment or template',
    }),
    z.refine((m) => (m.attachment?.type === 'image') === (m.filedata !== undefined), {
      message: 'an image attachment goes with its file, and only it',
      path: ['filedata'],
    }),
  );

// One flat object rather than a union so that zod reports the precise limit that was broken.
const requestSchema = z
  .object({
    recipient: z.object({ id: str(1, 64) }),
    messaging_type: z.optional(z.enum(['RESPONSE', 'UPDATE', 'UTILITY'])),
    message: z.optional(messageSchema),
    sender_action: z.optional(z.enum(['typing_on', 'typing_off', 'mark_seen'])),
  })
  .check(
    z.refine((r) => (r.message === undefined) !== (r.sender_action === undefined), {
      message: 'a request needs exactly one of message or sender_action',
    }),
    z.refine((r) => r.message === undefined || r.messaging_type !== undefined, {
      message: 'a message needs messaging_type',
      path: ['messaging_type'],
    }),
    // Utility templates are the only thing sent as UTILITY, and only as UTILITY.
    z.refine((r) => r.message === undefined || (r.messaging_type === 'UTILITY') === (r.message.template !== undefined), {
      message: 'a utility template goes with messaging_type UTILITY, and only it',
      path: ['messaging_type'],
    }),
  );

function assertWithinLimits(request: SendRequest | ImageRequest): void {
  const result = requestSchema.safeParse(request);
  if (result.success) return;
  // zod's issue messages name the limit, never the offending value, so no message text leaks here.
  const problems = result.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`);
  throw new SendApiRejected(`Send API request not sent, it breaks Messenger limits: ${problems.join('; ')}`);
}

// ---- Graph responses ---------------------------------------------------------------------------

const recipientSchema = z.object({ recipient: z.string().check(z.minLength(1), z.maxLength(64)) });
const successSchema = z.object({ recipient_id: z.string(), message_id: z.optional(z.string()) });

const graphErrorSchema = z.object({
  error: z.object({
    message: z.optional(z.string()),
    type: z.optional(z.string()),
    code: z.optional(z.number()),
    error_subcode: z.optional(z.number()),
    fbtrace_id: z.optional(z.string()),
  }),
});
type GraphError = z.infer<typeof graphErrorSchema>['error'];

type SendApiErrorClass = new (message: string, code?: number, subcode?: number) => SendApiError;

const PERSON_UNAVAILABLE_SUBCODE = 1545041;
// 2018278 is today's "sent outside of allowed window"; 2018065 / 2018108 are older variants of it.
const WINDOW_CLOSED_SUBCODES = new Set([2018278, 2018065, 2018108]);
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80006]);
const TRANSIENT_CODES = new Set([1, 2]);

/**
 * Meta's code/subcode is more specific than the HTTP status, so it decides first; the status only
 * classifies what Graph did not explain. 1545041 means "this person isn't available" whichever code
 * carries it (551 today, 200 in older answers).
 */
function errorClassFor(status: number, code?: number, subcode?: number): SendApiErrorClass {
  if (code === 551 || subcode === PERSON_UNAVAILABLE_SUBCODE) return RecipientUnavailable;
  if (code === 10 && subcode !== undefined && WINDOW_CLOSED_SUBCODES.has(subcode)) return OutsideMessagingWindow;
  if (code === 190) return PageTokenInvalid;
  if (code !== undefined && RATE_LIMIT_CODES.has(code)) return SendApiRateLimited;
  if (code !== undefined && TRANSIENT_CODES.has(code)) return SendApiUnavailable;
  if (code === 100) return SendApiRejected;
  if (status === 429) return SendApiRateLimited;
  if (status >= 500) return SendApiUnavailable;
  return SendApiRejected;
}

function describeFailure(status: number, graph: GraphError | undefined, secrets: readonly string[]): string {
  const facts = [`HTTP ${status}`];
  if (graph?.code !== undefined) facts.push(`code ${graph.code}`);
  if (graph?.error_subcode !== undefined) facts.push(`subcode ${graph.error_subcode}`);
  if (graph?.fbtrace_id !== undefined) facts.push(`fbtrace_id ${graph.fbtrace_id}`);
  const said = graph?.message ? `: ${redact(graph.message, secrets).slice(0, 300)}` : '';
  return `Send API failed (${facts.join(', ')})${said}`;
}

// Graph sometimes quotes the offending parameter back; errors end up in logs, message text must not.
function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

function secretsOf(request: SendRequest | ImageRequest, token: string): string[] {
  const secrets = [token];
  if ('message' in request) {
    const m = request.message;
    if ('text' in m) secrets.push(m.text);
    if ('attachment' in m && m.attachment.type === 'template') secrets.push(m.attachment.payload.text);
  }
  return secrets.filter((s) => s.length > 0);
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/**
 * A message with its image, as Meta's "upload and send" takes it: multipart/form-data whose fields
 * are the request's JSON parts and `filedata` the file. Built by hand: Node's FormData would load
 * its fetch implementation (undici) into a cold start for one body.
 */
function multipartBody(request: ImageRequest): { body: Uint8Array; contentType: string } {
  const boundary = `----messenger-banking-${randomBytes(12).toString('hex')}`;
  const { filedata: file, ...message } = request.message;
  const fields = [
    ['recipient', JSON.stringify(request.recipient)],
    ['messaging_type', request.messaging_type],
    ['message', JSON.stringify(message)],
  ];
  const part = (headers: string) => Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`, 'utf8');
  const body = Buffer.concat([
    ...fields.flatMap(([name, value]) => [part(`Content-Disposition: form-data; name="${name}"`), Buffer.from(`${value}\r\n`, 'utf8')]),
    part(`Content-Disposition: form-data; name="filedata"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}`),
    Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength),
    Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

// ---- Client --------------------------------------------------------------------------------------

export function createSendApi(config: SendApiConfig, deps: SendApiDeps = {}): SendApi {
  const endpoint = `${config.graphApiUrl.replace(/\/+$/, '')}/me/messages`;
  const timeoutMs = config.timeoutMs ?? 3000;
  const maxAttempts = Math.max(1, config.maxAttempts ?? 3);
  const baseDelayMs = config.baseDelayMs ?? 200;
  const maxDelayMs = config.maxDelayMs ?? 2000;
  const http = deps.http ?? createGraphTransport();
  const sleep = deps.sleep ?? ((ms: number) => delay(ms));
  const random = deps.random ?? Math.random;
  // The token travels in a header, not in ?access_token=, so it never lands in access logs.
  const headers = { authorization: `Bearer ${config.pageAccessToken}`, 'content-type': 'application/json' };

  /** One Graph call: timeout, and Graph's error envelope classified into the named errors. */
  async function graphCall(
    url: string,
    init: { method: 'GET' | 'POST'; body?: string | Uint8Array; contentType?: string },
    secrets: readonly string[],
  ): Promise<{ status: number; json: unknown }> {
    const signal = AbortSignal.timeout(timeoutMs);
    let status: number;
    let raw: string;
    try {
      const { contentType, ...request } = init;
      const response = await http(url, { ...request, headers: contentType ? { ...headers, 'content-type': contentType } : headers, signal });
      status = response.status;
      raw = await response.text();
    } catch (error) {
      const what = signal.aborted ? `timed out after ${timeoutMs} ms` : 'could not be reached';
      throw new SendApiUnavailable(`Send API ${what}`, undefined, undefined, { cause: error });
    }

    const json = parseJson(raw);
    const graphError = graphErrorSchema.safeParse(json);
    // Graph has been seen to answer 200 with an error object; the error wins.
    if (status < 200 || status >= 300 || graphError.success) {
      const graph = graphError.success ? graphError.data.error : undefined;
      const ErrorClass = errorClassFor(status, graph?.code, graph?.error_subcode);
      throw new ErrorClass(describeFailure(status, graph, secrets), graph?.code, graph?.error_subcode);
    }
    return { status, json };
  }

  async function attemptOnce(body: { body: string | Uint8Array; contentType?: string }, secrets: readonly string[]): Promise<SendResult> {
    const { status, json } = await graphCall(endpoint, { method: 'POST', ...body }, secrets);
    const ok = successSchema.safeParse(json);
    if (!ok.success) {
      // A 2xx means Meta probably delivered it: retrying could send the person the same message
      // twice, so this is permanent. It only happens if Graph changes its contract; surface it.
      throw new SendApiRejected(`Send API answered HTTP ${status} without a recipient_id`);
    }
    return ok.data.message_id === undefined
      ? { recipientId: ok.data.recipient_id }
      : { recipientId: ok.data.recipient_id, messageId: ok.data.message_id };
  }

  async function send(request: SendRequest | ImageRequest): Promise<SendResult> {
    assertWithinLimits(request);
    const body = 'message' in request && 'filedata' in request.message ? multipartBody(request as ImageRequest) : { body: JSON.stringify(request) };
    const secrets = secretsOf(request, config.pageAccessToken);
    // Meta has no idempotency key: a timed-out attempt that did land is sent twice. A rare
    // duplicate reply is the lesser harm than a lost one.
    return withRetries(() => attemptOnce(body, secrets));
  }

  async function withRetries<T>(attemptOnce: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await attemptOnce();
      } catch (error) {
        const retryable = error instanceof SendApiError && error.retryable;
        if (!retryable || attempt + 1 >= maxAttempts) throw error;
        // Full jitter spreads retries of many concurrent senders that failed together.
        await sleep(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
      }
    }
  }

  const message = (psid: string, msg: OutboundMessage, opts?: SendOptions) =>
    send({ recipient: { id: psid }, messaging_type: opts?.messagingType ?? 'RESPONSE', message: msg });

  return {
    send,
    sendImage: send,
    sendText: (psid, text, opts) => message(psid, { text }, opts),
    sendQuickReplies: (psid, text, quickReplies, opts) =>
      message(
        psid,
        { text, quick_replies: quickReplies.map((q) => ({ content_type: 'text', title: q.title, payload: q.payload })) },
        opts,
      ),
    sendButtons: (psid, text, buttons, opts) =>
      message(
        psid,
        { attachment: { type: 'template', payload: { template_type: 'button', text, buttons: [...buttons] } } },
        opts,
      ),
    senderAction: (psid, action) => send({ recipient: { id: psid }, sender_action: action }),
    async accountLinkingPsid(accountLinkingToken) {
      // Account linking: who is linking, as Meta knows them (GET /me?fields=recipient).
      const url = `${config.graphApiUrl.replace(/\/+$/, '')}/me?fields=recipient&account_linking_token=${encodeURIComponent(accountLinkingToken)}`;
      const { json } = await graphCall(url, { method: 'GET' }, [config.pageAccessToken, accountLinkingToken]);
      const parsed = recipientSchema.safeParse(json);
      if (!parsed.success) throw new SendApiRejected('Graph answered the account-linking lookup without a recipient');
      return parsed.data.recipient;
    },
    async passThreadControl(psid, targetAppId, metadata) {
      const url = `${config.graphApiUrl.replace(/\/+$/, '')}/me/pass_thread_control`;
      const body = JSON.stringify({ recipient: { id: psid }, target_app_id: targetAppId, ...(metadata ? { metadata: metadata.slice(0, 1000) } : {}) });
      // Passing control twice is harmless (the second is refused or a no-op), so it is retried.
      await withRetries(() => graphCall(url, { method: 'POST', body }, [config.pageAccessToken]));
    },
  };
}
