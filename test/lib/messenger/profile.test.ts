import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraphStub, type GraphStub } from '../../../dev/graph-stub';
import { intentOfPayload } from '../../../lib/assistant/intents';
import { messengerProfile, profileSchema, setMessengerProfile } from '../../../lib/messenger/profile';

const TOKEN = 'EAAG-profile-test-token';
let graph: GraphStub;

beforeAll(async () => {
  graph = await startGraphStub({ pageAccessToken: TOKEN });
});
afterAll(async () => {
  await graph.close();
});

describe('the Messenger profile', () => {
  const profile = messengerProfile({ brand: 'Demo Bank', publicBaseUrl: 'https://assistant.example.org/consent' });

  it("keeps within Meta's limits for every part", () => {
    expect(profileSchema.safeParse(profile).success).toBe(true);
  });

  it('offers only payloads the assistant understands, the same ones in every locale', () => {
    const payloads = [
      profile.get_started.payload,
      ...profile.ice_breakers.flatMap((l) => l.call_to_actions.map((c) => c.payload)),
      ...profile.persistent_menu.flatMap((l) => l.call_to_actions.map((c) => c.payload)),
    ];
    for (const payload of payloads) expect(intentOfPayload(payload), payload).toBeDefined();
    const menus = profile.persistent_menu.map((l) => l.call_to_actions.map((c) => c.payload));
    for (const menu of menus) expect(menu).toEqual(menus[0]);
    expect(profile.persistent_menu.map((l) => l.locale)).toEqual(['default', 'es_LA', 'es_ES']);
  });

  it('whitelists the HTTPS origin of the consent pages, and nothing for a plain-HTTP one', () => {
    expect(profile.whitelisted_domains).toEqual(['https://assistant.example.org']);
    expect(messengerProfile({ brand: 'Demo Bank', publicBaseUrl: 'http://localhost:3000' })).not.toHaveProperty('whitelisted_domains');
  });

  it('is set with one POST to /me/messenger_profile', async () => {
    graph.clear();
    await setMessengerProfile(profile, { graphApiUrl: `${graph.url}`, pageAccessToken: TOKEN });
    const sent = graph.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.path).toMatch(/\/me\/messenger_profile$/);
    expect(sent[0]!.body).toEqual(profile);
  });

  it('fails with Graph’s reason, without the token in the message', async () => {
    const error = await setMessengerProfile(profile, { graphApiUrl: graph.url, pageAccessToken: 'wrong-token' }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/HTTP 400.*access token/);
    expect((error as Error).message).not.toContain('wrong-token');
  });

  it('refuses a profile over the limits before calling Meta', async () => {
    const long = messengerProfile({ brand: 'B'.repeat(60) });
    await expect(setMessengerProfile(long, { graphApiUrl: graph.url, pageAccessToken: TOKEN })).rejects.toThrow();
  });
});
