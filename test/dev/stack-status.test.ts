import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../dev/ports';
import { localStackDown } from '../../dev/stack-status';

let server: Server;
let up: string;

beforeAll(async () => {
  // DynamoDB Local answers a bare GET with 400: any answer means the stack is there.
  server = createServer((_request, response) => response.writeHead(400).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  up = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the local stack check', () => {
  it('has nothing to say when every URL answers, whatever the status', async () => {
    expect(await localStackDown([up, `${up}/webhook`])).toBeUndefined();
  });

  it('names the first URL nothing answers at and says to start the stack with npm start', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;

    const message = await localStackDown([up, down]);

    expect(message).toContain(`nothing answers at ${down}`);
    expect(message).toContain('`npm start`');
  });
});
