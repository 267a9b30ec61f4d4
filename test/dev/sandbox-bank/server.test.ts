import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startBank } from './support';

function get(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the sandbox bank server', () => {
  it('describes itself at / with its endpoints and test users', async () => {
    const bank = await startBank();
    try {
      const body = (await (await fetch(bank.url)).json()) as { plaid_endpoints: string[]; test_users: { username: string }[] };
      expect(body.plaid_endpoints).toEqual(expect.arrayContaining(['/transactions/sync', '/transactions/recurring/get']));
      expect(body.test_users.map((u) => u.username)).toEqual(['user_good', 'user_custom_saver', 'user_big_spender', 'user_new_account', 'user_subscriptions']);
    } finally {
      await bank.close();
    }
  });

  it('closes promptly despite idle keep-alive connections, and then refuses connections', async () => {
    const bank = await startBank();
    const agent = new Agent({ keepAlive: true });
    try {
      expect(await get(bank.url, agent)).toBe(200);
      const started = performance.now();
      await bank.close();
      expect(performance.now() - started).toBeLessThan(1000);
      await expect(get(bank.url, new Agent())).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      agent.destroy();
    }
  });
});
