import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphStub } from '../../../dev/graph-stub';
import type { GraphStub, StubFailure } from '../../../dev/graph-stub';
import {
  OutsideMessagingWindow,
  PageTokenInvalid,
  RecipientUnavailable,
  SendApiRateLimited,
  SendApiRejected,
  SendApiUnavailable,
} from '../../../lib/errors';
import type { SendApiError } from '../../../lib/errors';
import { buttonTemplate, createSendApi, qr } from '../../../lib/messenger/send-api';
import type { SendApiConfig, SendApiDeps } from '../../../lib/messenger/send-api';

const TOKEN = 'EAAG-test-page-token-0123456789';
const PSID = '24000000000000001';

let stub: GraphStub;

beforeAll(async () => {
  stub = await startGraphStub({ port: 0, pageAccessToken: TOKEN });
});

afterAll(async () => {
  await stub.close();
});

beforeEach(() => {
  stub.clear();
});

/** A client against the stub whose backoff waits are recorded instead of slept. */
function clientFor(config: Partial<SendApiConfig> = {}, deps: SendApiDeps = {}) {
  const delays: number[] = [];
  const api = createSendApi(
    { graphApiUrl: stub.url, pageAccessToken: TOKEN, ...config },
    {
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 0.5,
      ...deps,
    },
  );
  return { api, delays };
}

async function failureOf(promise: Promise<unknown>): Promise<SendApiError> {
  try {
    await promise;
  } catch (error) {
    return error as SendApiError;
  }
  throw new Error('expected the send to fail');
}

describe('send API request shape', () => {
  it('sends a text message as Meta expects and returns the ids Graph answered', async () => {
    const { api } = clientFor();

    const result = await api.sendText(PSID, 'Your balance is €12.34');

    expect(stub.sent().map((s) => s.body)).toEqual([
      { recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: 'Your balance is €12.34' } },
    ]);
    expect(result).toEqual({ recipientId: PSID, messageId: stub.sent()[0]?.messageId });
    expect(result.messageId).toMatch(/^m_\d+$/);
  });

  it('uses the UPDATE messaging type when asked', async () => {
    const { api } = clientFor();

    await api.sendText(PSID, 'Sync finished', { messagingType: 'UPDATE' });

    expect(stub.sent()[0]?.body).toMatchObject({ messaging_type: 'UPDATE' });
  });

  it('sends quick replies as text content with title and payload', async () => {
    const { api } = clientFor();

    await api.sendQuickReplies(PSID, 'Which account?', [
      { title: 'Current', payload: 'ACCOUNT:1' },
      { title: 'Savings', payload: 'ACCOUNT:2' },
    ]);

    expect(stub.sent()[0]?.body).toEqual({
      recipient: { id: PSID },
      messaging_type: 'RESPONSE',
      message: {
        text: 'Which account?',
        quick_replies: [
          { content_type: 'text', title: 'Current', payload: 'ACCOUNT:1' },
          { content_type: 'text', title: 'Savings', payload: 'ACCOUNT:2' },
        ],
      },
    });
  });

  it('sends a button template with postback, web_url and account_link buttons', async () => {
    const { api } = clientFor();

    await api.sendButtons(PSID, 'Link your bank to see balances', [
      { type: 'account_link', url: 'https://bank.example/link' },
      { type: 'web_url', title: 'Open in browser', url: 'https://bank.example/link', webview_height_ratio: 'tall' },
      { type: 'postback', title: 'Not now', payload: 'LINK_LATER' },
    ]);

    expect(stub.sent()[0]?.body).toEqual({
      recipient: { id: PSID },
      messaging_type: 'RESPONSE',
      message: {
        attachment: {
          type: 'template',
          payload: {
            template_type: 'button',
            text: 'Link your bank to see balances',
            buttons: [
              { type: 'account_link', url: 'https://bank.example/link' },
              { type: 'web_url', title: 'Open in browser', url: 'https://bank.example/link', webview_height_ratio: 'tall' },
              { type: 'postback', title: 'Not now', payload: 'LINK_LATER' },
            ],
          },
        },
      },
    });
  });

  it('sends a sender action without a message and gets no message id back', async () => {
    const { api } = clientFor();

    const result = await api.senderAction(PSID, 'typing_on');

    expect(stub.sent()[0]?.body).toEqual({ recipient: { id: PSID }, sender_action: 'typing_on' });
    expect(result).toEqual({ recipientId: PSID });
  });

  it('carries the token in the Authorization header and never in the URL', async () => {
    const seen: { url: string; authorization: string | null }[] = [];
    const spyingFetch: typeof fetch = (input, init) => {
      seen.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
      return fetch(input, init);
    };
    const { api } = clientFor({}, { http: spyingFetch });

    await api.sendText(PSID, 'hello');

    expect(seen).toEqual([{ url: `${stub.url}/me/messages`, authorization: `Bearer ${TOKEN}` }]);
    expect(stub.sent()[0]?.path).toBe('/v25.0/me/messages');
  });

  it('is refused by Graph with PageTokenInvalid when the token is wrong', async () => {
    const api = createSendApi({ graphApiUrl: stub.url, pageAccessToken: 'wrong-token' }, { sleep: async () => {} });

    const error = await failureOf(api.sendText(PSID, 'hello'));

    expect(error).toBeInstanceOf(PageTokenInvalid);
    expect(stub.sent()).toEqual([]);
  });
});

describe('send API error classification', () => {
  const table: [string, StubFailure, new (...args: never[]) => SendApiError, boolean][] = [
    ['551 / 1545041 person not available', { status: 400, code: 551, subcode: 1545041 }, RecipientUnavailable, false],
    ['551 without subcode', { status: 400, code: 551 }, RecipientUnavailable, false],
    ['200 / 1545041 person not available (older code)', { status: 403, code: 200, subcode: 1545041 }, RecipientUnavailable, false],
    ['10 / 2018278 outside the window', { status: 400, code: 10, subcode: 2018278 }, OutsideMessagingWindow, false],
    ['190 token expired', { status: 400, code: 190 }, PageTokenInvalid, false],
    ['4 application rate limit', { status: 400, code: 4 }, SendApiRateLimited, true],
    ['613 rate limit', { status: 400, code: 613 }, SendApiRateLimited, true],
    ['32 page rate limit', { status: 400, code: 32 }, SendApiRateLimited, true],
    ['80006 messenger rate limit', { status: 400, code: 80006 }, SendApiRateLimited, true],
    ['HTTP 429 with an unknown code', { status: 429, code: 999 }, SendApiRateLimited, true],
    ['1 unknown error', { status: 500, code: 1 }, SendApiUnavailable, true],
    ['2 transient error', { status: 500, code: 2 }, SendApiUnavailable, true],
    ['HTTP 503 with an unknown code', { status: 503, code: 999 }, SendApiUnavailable, true],
    ['100 invalid parameter', { status: 400, code: 100 }, SendApiRejected, false],
    ['100 invalid parameter even on HTTP 500', { status: 500, code: 100 }, SendApiRejected, false],
    ['10 without the window subcode', { status: 400, code: 10 }, SendApiRejected, false],
    ['an unknown 4xx', { status: 403, code: 999 }, SendApiRejected, false],
  ];

  it.each(table)('maps %s to the right named error', async (_name, failure, ErrorClass, retryable) => {
    const { api } = clientFor({ maxAttempts: 1 });
    stub.failNext(1, failure);

    const error = await failureOf(api.sendText(PSID, 'hello'));

    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.retryable).toBe(retryable);
    expect(error.code).toBe(failure.code);
    expect(error.subcode).toBe(failure.subcode);
  });

  it('names the code, subcode and fbtrace_id in the error message', async () => {
    const { api } = clientFor();
    stub.failNext(1, { status: 400, code: 551, subcode: 1545041, message: "This person isn't available right now." });

    const error = await failureOf(api.sendText(PSID, 'hello'));

    expect(error.message).toContain('code 551');
    expect(error.message).toContain('subcode 1545041');
    expect(error.message).toMatch(/fbtrace_id stub-trace-\d+/);
  });

  it('treats an unparseable 5xx body as SendApiUnavailable', async () => {
    const gateway: typeof fetch = async () => new Response('<html>502 Bad Gateway</html>', { status: 502 });
    const { api } = clientFor({ maxAttempts: 1 }, { http: gateway });

    const error = await failureOf(api.sendText(PSID, 'hello'));

    expect(error).toBeInstanceOf(SendApiUnavailable);
    expect(error.message).toContain('HTTP 502');
  });

  it('treats a network failure as SendApiUnavailable', async () => {
    const unreachable: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    const { api } = clientFor({ maxAttempts: 1 }, { http: unreachable });

    const error = await failureOf(api.sendText(PSID, 'hello'));

    expect(error).toBeInstanceOf(SendApiUnavailable);
    expect(error.retryable).toBe(true);
  });

  it('classifies an error object inside a 200 answer instead of reporting success', async () => {
    const odd: typeof fetch = async () => Response.json({ error: { code: 613, message: 'Calls exceeded' } });
    const { api } = clientFor({ maxAttempts: 1 }, { http: odd });

    const error = await failureOf(api.sendText(PSID, 'hello'));

    expect(error).toBeInstanceOf(SendApiRateLimited);
  });

  it('rejects a 2xx answer without recipient_id and does not retry it', async () => {
    let calls = 0;
    const empty: typeof fetch = async () => {
      calls += 1;
      return Response.json({});
    };
    const { api } = clientFor({ maxAttempts: 3 }, { http: empty });

    const error = await failureOf(api.sendText(PSID, 'hello'));

    expect(error).toBeInstanceOf(SendApiRejected);
    expect(calls).toBe(1);
  });
});

describe('send API retries', () => {
  it.each([
    ['code 2', { status: 500, code: 2 }],
    ['HTTP 500', { status: 500, code: 1 }],
    ['rate limit 613', { status: 400, code: 613 }],
  ] satisfies [string, StubFailure][])('retries %s and then delivers the message once', async (_name, failure) => {
    const { api, delays } = clientFor({ maxAttempts: 3 });
    stub.failNext(2, failure);

    const result = await api.sendText(PSID, 'hello');

    expect(result.recipientId).toBe(PSID);
    expect(stub.received()).toHaveLength(3);
    expect(stub.sent()).toHaveLength(1);
    expect(delays).toHaveLength(2);
  });

  it('stops after maxAttempts and throws the last error', async () => {
    const { api, delays } = clientFor({ maxAttempts: 3 });
    stub.failNext(2, { status: 500, code: 2 });
    stub.failNext(5, { status: 400, code: 613 });

    const error = await failureOf(api.sendText(PSID, 'hello'));

    expect(error).toBeInstanceOf(SendApiRateLimited);
    expect(stub.received()).toHaveLength(3);
    expect(stub.sent()).toEqual([]);
    expect(delays).toHaveLength(2);
  });

  it.each([
    ['100 invalid parameter', { status: 400, code: 100 }],
    ['551 person not available', { status: 400, code: 551, subcode: 1545041 }],
    ['190 token expired', { status: 400, code: 190 }],
    ['2018278 outside the window', { status: 400, code: 10, subcode: 2018278 }],
  ] satisfies [string, StubFailure][])('does not retry %s', async (_name, failure) => {
    const { api, delays } = clientFor({ maxAttempts: 3 });
    stub.failNext(3, failure);

    await failureOf(api.sendText(PSID, 'hello'));

    expect(stub.received()).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('backs off exponentially up to maxDelayMs when random() is at its top', async () => {
    const { api, delays } = clientFor(
      { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 1000 },
      { random: () => 1 },
    );
    stub.failNext(4, { status: 500, code: 2 });

    await api.sendText(PSID, 'hello');

    expect(delays).toEqual([200, 400, 800, 1000]);
  });

  it('may retry at once when random() is at its bottom (full jitter)', async () => {
    const { api, delays } = clientFor({ maxAttempts: 4 }, { random: () => 0 });
    stub.failNext(3, { status: 500, code: 2 });

    await api.sendText(PSID, 'hello');

    expect(delays).toEqual([0, 0, 0]);
  });

  it('scales each delay by random() within the exponential cap', async () => {
    const { api, delays } = clientFor({ maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2000 }, { random: () => 0.25 });
    stub.failNext(2, { status: 500, code: 2 });

    await api.sendText(PSID, 'hello');

    expect(delays).toEqual([25, 50]);
  });
});

describe('send API timeouts', () => {
  /** A fetch that hangs until its signal aborts, as a stalled Graph connection would. */
  const hanging: typeof fetch = (_input, init) =>
    new Promise((_resolve, reject) => {
      const signal = init?.signal;
      if (!signal) return reject(new Error('no abort signal given'));
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });

  it('turns an attempt that exceeds timeoutMs into SendApiUnavailable', async () => {
    const { api } = clientFor({ timeoutMs: 20, maxAttempts: 1 }, { http: hanging });

    const error = await failureOf(api.sendText(PSID, 'hello'));

    expect(error).toBeInstanceOf(SendApiUnavailable);
    expect(error.message).toContain('timed out after 20 ms');
  });

  it('retries a timed-out attempt and delivers on the next one', async () => {
    let calls = 0;
    const stallsOnce: typeof fetch = (input, init) => {
      calls += 1;
      return calls === 1 ? hanging(input, init) : fetch(input, init);
    };
    const { api } = clientFor({ timeoutMs: 20, maxAttempts: 2 }, { http: stallsOnce });

    const result = await api.sendText(PSID, 'hello');

    expect(result.recipientId).toBe(PSID);
    expect(stub.sent()).toHaveLength(1);
  });
});

describe('send API error messages', () => {
  const secretText = 'IBAN FR76 3000 6000 0112 3456 7890 189 balance 4321.00';

  it('never contain the token or the message text, even when Graph quotes them', async () => {
    const { api } = clientFor({ maxAttempts: 1 });
    stub.failNext(1, { status: 400, code: 100, message: `(#100) Bad param ${secretText} for token ${TOKEN}` });

    const error = await failureOf(api.sendText(PSID, secretText));

    expect(error).toBeInstanceOf(SendApiRejected);
    expect(error.message).toContain('(#100) Bad param');
    for (const leak of [TOKEN, secretText]) {
      expect(error.message).not.toContain(leak);
      expect(error.stack ?? '').not.toContain(leak);
    }
  });

  it('never contain the button template text either', async () => {
    const { api } = clientFor({ maxAttempts: 1 });
    stub.failNext(1, { status: 400, code: 100, message: `(#100) Invalid ${secretText}` });

    const error = await failureOf(
      api.sendButtons(PSID, secretText, [{ type: 'postback', title: 'OK', payload: 'OK' }]),
    );

    expect(error.message).not.toContain(secretText);
  });
});

describe('send API outbound validation', () => {
  const tooMany = Array.from({ length: 14 }, (_, i) => ({ title: `Option ${i}`, payload: `OPT_${i}` }));
  const button = { type: 'postback', title: 'OK', payload: 'OK' } as const;

  it.each([
    ['14 quick replies', (api: ReturnType<typeof clientFor>['api']) => api.sendQuickReplies(PSID, 'Pick', tooMany)],
    ['text over 2000 characters', (api: ReturnType<typeof clientFor>['api']) => api.sendText(PSID, 'x'.repeat(2001))],
    ['a quick reply title over 20 characters', (api: ReturnType<typeof clientFor>['api']) =>
      api.sendQuickReplies(PSID, 'Pick', [{ title: 'y'.repeat(21), payload: 'P' }])],
    ['four buttons', (api: ReturnType<typeof clientFor>['api']) =>
      api.sendButtons(PSID, 'Pick', [button, button, button, button])],
    ['button template text over 640 characters', (api: ReturnType<typeof clientFor>['api']) =>
      api.sendButtons(PSID, 'z'.repeat(641), [button])],
    ['an account_link over plain http', (api: ReturnType<typeof clientFor>['api']) =>
      api.sendButtons(PSID, 'Link', [{ type: 'account_link', url: 'http://bank.example/link' }])],
    ['empty text', (api: ReturnType<typeof clientFor>['api']) => api.sendText(PSID, '')],
  ])('refuses %s with SendApiRejected and sends nothing', async (_name, act) => {
    const { api } = clientFor();

    const error = await failureOf(act(api));

    expect(error).toBeInstanceOf(SendApiRejected);
    expect(error.retryable).toBe(false);
    expect(stub.received()).toEqual([]);
  });

  it('names the broken limit without echoing the text', async () => {
    const { api } = clientFor();
    const longText = 'secret '.repeat(300);

    const error = await failureOf(api.sendText(PSID, longText));

    expect(error.message).toContain('message.text');
    expect(error.message).not.toContain('secret');
  });
});

describe('utility messages', () => {
  const template = {
    name: 'bank_fraud_check',
    language: { code: 'en_US' },
    components: [
      { type: 'body' as const, parameters: [{ type: 'text' as const, text: '$912.40 at ELECTRO-WORLD' }] },
      { type: 'buttons' as const, parameters: [{ type: 'POSTBACK' as const, payload: 'FRAUD_NO:abc' }] },
    ],
  };

  it('sends a Page-owned template as messaging_type UTILITY, exactly as Meta expects', async () => {
    stub.clear();
    const api = createSendApi({ graphApiUrl: stub.url, pageAccessToken: TOKEN });

    await api.send({ recipient: { id: PSID }, messaging_type: 'UTILITY', message: { template } });

    expect(stub.sent().at(-1)?.body).toEqual({ recipient: { id: PSID }, messaging_type: 'UTILITY', message: { template } });
  });

  it('refuses a template outside UTILITY, and UTILITY without a template, sending nothing', async () => {
    stub.clear();
    const api = createSendApi({ graphApiUrl: stub.url, pageAccessToken: TOKEN });
    const wrongPairs = [
      { recipient: { id: PSID }, messaging_type: 'UPDATE', message: { template } },
      { recipient: { id: PSID }, messaging_type: 'UTILITY', message: { text: 'hello' } },
    ] as unknown as Parameters<typeof api.send>[0][];

    for (const request of wrongPairs) await expect(api.send(request)).rejects.toThrow(SendApiRejected);
    expect(stub.received()).toEqual([]);
  });
});


describe('a composed button message', () => {
  it('is cut to the 640 characters Messenger accepts, keeping its buttons and quick replies', () => {
    const message = buttonTemplate('a'.repeat(700), [{ type: 'postback', title: 'Yes', payload: 'Y' }], [qr('Help', 'HELP')]);
    expect(message).toEqual({
      attachment: { type: 'template', payload: { template_type: 'button', text: 'a'.repeat(640), buttons: [{ type: 'postback', title: 'Yes', payload: 'Y' }] } },
      quick_replies: [{ content_type: 'text', title: 'Help', payload: 'HELP' }],
    });
    expect(buttonTemplate('short', [])).not.toHaveProperty('quick_replies');
  });
});
