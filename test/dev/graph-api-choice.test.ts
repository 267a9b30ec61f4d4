import { describe, expect, it } from 'vitest';
import { chooseGraphApi, exampleEnv, isThisMachine } from '../../dev/env';

/** `npm start` talks to a real Page only when GRAPH_API_URL leaves this machine, and then only with real secrets. */
const example = exampleEnv();
const realSecrets = { MESSENGER_PAGE_ACCESS_TOKEN: 'EAAG-real-page-token', MESSENGER_APP_SECRET: 'b5c1-real-app-secret' };

describe('npm start: which Graph API', () => {
  it(".env.example's own setting runs the stub", () => {
    expect(chooseGraphApi(example, example)).toEqual({ kind: 'stub' });
  });

  it('runs the stub for any address of this machine', () => {
    for (const url of ['http://127.0.0.1:3100/v25.0', 'http://localhost:3999/v25.0', 'http://[::1]:3100/v25.0', 'http://graph.localhost/v25.0', 'http://127.8.0.1/v25.0']) {
      expect(chooseGraphApi({ ...example, ...realSecrets, GRAPH_API_URL: url }, example), url).toEqual({ kind: 'stub' });
    }
  });

  it("uses Meta's Graph API, with the real Page token, when GRAPH_API_URL points there", () => {
    const env = { ...example, ...realSecrets, GRAPH_API_URL: 'https://graph.facebook.com/v25.0/' };

    expect(chooseGraphApi(env, example)).toEqual({ kind: 'real', url: 'https://graph.facebook.com/v25.0' });
  });

  it("refuses a real Graph API with the example's Page token or app secret, naming each", () => {
    const choice = chooseGraphApi({ ...example, GRAPH_API_URL: 'https://graph.facebook.com/v25.0' }, example);

    expect(choice.kind).toBe('refused');
    expect(choice.kind === 'refused' && choice.reasons.join('\n')).toMatch(/MESSENGER_PAGE_ACCESS_TOKEN is still \.env\.example's value[\s\S]*MESSENGER_APP_SECRET is still/);
  });

  it('refuses a real Graph API with no Page token at all', () => {
    const choice = chooseGraphApi({ ...example, ...realSecrets, MESSENGER_PAGE_ACCESS_TOKEN: '', GRAPH_API_URL: 'https://graph.facebook.com/v25.0' }, example);

    expect(choice).toEqual({ kind: 'refused', reasons: ['MESSENGER_PAGE_ACCESS_TOKEN is not set: put your app\'s real one in .env'] });
  });

  it('refuses a GRAPH_API_URL that is not a URL', () => {
    expect(chooseGraphApi({ GRAPH_API_URL: 'graph.facebook.com' }, example).kind).toBe('refused');
  });

  it('tells a tunnel or remote host from this machine', () => {
    expect(isThisMachine(new URL('https://abc.trycloudflare.com/v25.0'))).toBe(false);
    expect(isThisMachine(new URL('http://127.0.0.1.nip.io/v25.0'))).toBe(false);
    expect(isThisMachine(new URL('http://0.0.0.0:3100'))).toBe(true);
  });
});
