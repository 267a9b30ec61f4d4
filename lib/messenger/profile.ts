import * as z from 'zod/mini';
import type { Language } from '../text/language';
import { profileWords } from '../text/profile';
import '../validation';
import { createGraphTransport, type GraphHttp } from './graph-transport';
import { Payloads } from './payloads';

/**
 * The Page's Messenger profile: Get Started, the greeting, ice breakers and the persistent menu,
 * in English (the default locale) and Spanish. Set once per deploy by `npm run messenger:profile`,
 * never per message (Meta allows about 10 profile calls per 10 minutes per Page).
 */
export interface ProfileOptions {
  brand: string;
  /** Where the consent pages live; an HTTPS origin is whitelisted for webviews. */
  publicBaseUrl?: string | undefined;
}

type Entry = [text: string, payload: string];
const menu = (items: Entry[]) => items.map(([title, payload]) => ({ type: 'postback' as const, title, payload }));

export function messengerProfile({ brand, publicBaseUrl }: ProfileOptions) {
  const inLanguage = (lang: Language) => {
    const t = profileWords[lang];
    return {
      greeting: t.greeting(brand),
      breakers: [
        [t.breakers.balance, Payloads.balance],
        [t.breakers.spending, Payloads.spendingThisMonth],
        [t.breakers.dataPolicy, Payloads.dataPolicy],
        [t.breakers.talkToPerson, Payloads.talkToPerson],
      ] satisfies Entry[],
      menu: menu([
        [t.menu.balance, Payloads.balance],
        [t.menu.spending, Payloads.spendingThisMonth],
        [t.menu.recentTransactions, Payloads.recentTransactions],
        [t.menu.alertSettings, Payloads.alertSettings],
        [t.menu.whatIShare, Payloads.manageSharing],
        [t.menu.talkToPerson, Payloads.talkToPerson],
      ]),
    };
  };
  const english = inLanguage('en');
  const spanish = inLanguage('es');
  const locales = [
    ['default', english],
    ['es_LA', spanish],
    ['es_ES', spanish],
  ] as const;
  const origin = publicBaseUrl?.startsWith('https://') ? new URL(publicBaseUrl).origin : undefined;
  return {
    get_started: { payload: Payloads.getStarted },
    greeting: locales.map(([locale, l]) => ({ locale, text: l.greeting })),
    ice_breakers: locales.map(([locale, l]) => ({ locale, call_to_actions: l.breakers.map(([question, payload]) => ({ question, payload })) })),
    persistent_menu: locales.map(([locale, l]) => ({ locale, composer_input_disabled: false, call_to_actions: l.menu })),
    ...(origin ? { whitelisted_domains: [origin] } : {}),
  };
}

/** Meta's documented limits for each part of the profile, checked before anything is sent. */
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
export const profileSchema = z.object({
  get_started: z.object({ payload: text(1000) }),
  greeting: z.array(z.object({ locale: text(10), text: text(160) })).check(z.minLength(1)),
  ice_breakers: z.array(z.object({ locale: text(10), call_to_actions: z.array(z.object({ question: text(80), payload: text(1000) })).check(z.minLength(1), z.maxLength(4)) })),
  persistent_menu: z.array(
    z.object({
      locale: text(10),
      composer_input_disabled: z.boolean(),
      call_to_actions: z.array(z.object({ type: z.literal('postback'), title: text(30), payload: text(1000) })).check(z.minLength(1), z.maxLength(20)),
    }),
  ),
  whitelisted_domains: z.optional(z.array(z.url({ protocol: /^https$/ })).check(z.maxLength(50))),
});

export interface SetProfileDeps {
  graphApiUrl: string;
  pageAccessToken: string;
  /** node:http(s) through the AWS SDK's handler unless given (fetch fits). */
  http?: GraphHttp;
  timeoutMs?: number;
}

/** POST /me/messenger_profile once (no retry: Meta rate-limits this call hard; run the command again). */
export async function setMessengerProfile(profile: ReturnType<typeof messengerProfile>, deps: SetProfileDeps): Promise<void> {
  profileSchema.parse(profile);
  const http = deps.http ?? createGraphTransport();
  const response = await http(`${deps.graphApiUrl.replace(/\/+$/, '')}/me/messenger_profile`, {
    method: 'POST',
    headers: { authorization: `Bearer ${deps.pageAccessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(profile),
    signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
  });
  const body = await response.text();
  if (response.status < 200 || response.status >= 300 || !/"result"\s*:\s*"success"/.test(body)) {
    // Graph's error message names the problem; the token is never part of it.
    throw new Error(`Meta refused the profile (HTTP ${response.status}): ${body.replaceAll(deps.pageAccessToken, '[token]').slice(0, 500)}`);
  }
}
