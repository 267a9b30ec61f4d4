import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGraphStub, type GraphStub } from '../../../dev/graph-stub';
import { SendApiRejected } from '../../../lib/errors';
import { createSendApi, imageMessage, type ImageRequest } from '../../../lib/messenger/send-api';

/**
 * An image uploaded with the message that carries it: one multipart/form-data request to
 * /me/messages whose fields are the request's JSON parts and `filedata` the file (Meta's "upload
 * and send"), not saved as a reusable Page asset.
 */
const TOKEN = 'EAAG-test-page-token-image';
const PSID = '24000000000000077';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really the rest of an image, but bytes \r\n--with a CRLF and dashes')]);

let stub: GraphStub;
beforeAll(async () => {
  stub = await startGraphStub({ pageAccessToken: TOKEN });
});
afterAll(() => stub.close());
beforeEach(() => stub.clear());

const request = (bytes: Uint8Array = PNG): ImageRequest => ({
  recipient: { id: PSID },
  messaging_type: 'RESPONSE',
  message: imageMessage({ contentType: 'image/png', filename: 'spending.png', bytes }),
});

describe('sendImage', () => {
  it('uploads the file with its message in one request, and returns the ids Graph answered', async () => {
    const api = createSendApi({ graphApiUrl: stub.url, pageAccessToken: TOKEN });

    const result = await api.sendImage(request());

    expect(result).toEqual({ recipientId: PSID, messageId: expect.stringMatching(/^m_\d+$/) });
    expect(stub.sent().map((s) => s.body)).toEqual([
      {
        recipient: { id: PSID },
        messaging_type: 'RESPONSE',
        message: { attachment: { type: 'image', payload: { is_reusable: false } } },
        filedata: { filename: 'spending.png', contentType: 'image/png', size: PNG.length, url: expect.any(String) },
      },
    ]);
    expect(stub.attachment(result.messageId!)?.bytes).toEqual(PNG);
  });

  it('sends multipart/form-data with the token in a header and the JSON parts as fields', async () => {
    let seen: { headers: IncomingHttpHeaders; body: string } | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen = { headers: req.headers, body: Buffer.concat(chunks).toString('latin1') };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ recipient_id: PSID, message_id: 'm_1' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const api = createSendApi({ graphApiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v25.0`, pageAccessToken: TOKEN });
      await api.sendImage(request());
    } finally {
      server.close();
    }

    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(seen!.headers['content-type'] ?? '')?.[1];
    expect(boundary).toBeDefined();
    expect(seen!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(Number(seen!.headers['content-length'])).toBe(Buffer.byteLength(seen!.body, 'latin1'));
    const parts = seen!.body.split(`--${boundary}`);
    expect(parts.at(-1)).toBe('--\r\n');
    expect(parts.slice(1, -1).map((p) => p.split('\r\n\r\n')[0]!.trim())).toEqual([
      'Content-Disposition: form-data; name="recipient"',
      'Content-Disposition: form-data; name="messaging_type"',
      'Content-Disposition: form-data; name="message"',
      'Content-Disposition: form-data; name="filedata"; filename="spending.png"\r\nContent-Type: image/png',
    ]);
    expect(parts[3]).toContain('{"attachment":{"type":"image","payload":{"is_reusable":false}}}');
    expect(seen!.body).not.toContain(TOKEN);
  });

  it('refuses, before sending, an empty file or one over Meta’s 8 MB for images', async () => {
    const api = createSendApi({ graphApiUrl: stub.url, pageAccessToken: TOKEN });

    await expect(api.sendImage(request(new Uint8Array(0)))).rejects.toThrow(SendApiRejected);
    await expect(api.sendImage(request(new Uint8Array(8 * 1024 * 1024 + 1)))).rejects.toThrow(SendApiRejected);
    expect(stub.received()).toEqual([]);
  });

  it('refuses an image attachment without its file, and a file without an image', async () => {
    const api = createSendApi({ graphApiUrl: stub.url, pageAccessToken: TOKEN });
    const { filedata, ...withoutFile } = request().message;

    await expect(api.sendImage({ ...request(), message: withoutFile } as unknown as ImageRequest)).rejects.toThrow(/filedata: an image attachment goes with its file/);
    await expect(api.send({ recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: 'hi', filedata } } as never)).rejects.toThrow(SendApiRejected);
    expect(stub.received()).toEqual([]);
  });
});
