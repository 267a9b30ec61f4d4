import * as z from 'zod/mini';
import { Payloads } from '../assistant/intents';
import '../validation';
import { createGraphTransport, type GraphHttp } from './graph-transport';

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
  const english: { greeting: string; breakers: Entry[]; menu: ReturnType<typeof menu> } = {
    greeting: `Hi {{user_first_name}}! I'm ${brand}'s assistant: balances, spending and alerts, only with your permission. Never for ads.`,
    breakers: [
      ["What's my balance?", Payloads.balance],
      ['What did I spend this month?', Payloads.spendingThisMonth],
      ['How is my data used?', Payloads.dataPolicy],
      ['Talk to a person', Payloads.talkToPerson],
    ],
    menu: menu([
      ['Balance', Payloads.balance],
      ['Spending this month', Payloads.spendingThisMonth],
      ['Recent transactions', Payloads.recentTransactions],
      ['Alert settings', Payloads.alertSettings],
      ['What I share', Payloads.manageSharing],
      ['Talk to a person', Payloads.talkToPerson],
    ]),
  };
  const spanish: typeof english = {
    greeting: `¡Hola {{user_first_name}}! Soy el asistente de ${brand}: saldos, gastos y alertas, solo con tu permiso. Nunca para anuncios.`,
    breakers: [
      ['¿Cuál es mi saldo?', Payloads.balance],
      ['¿Cuánto gasté este mes?', Payloads.spendingThisMonth],
      ['¿Cómo usan mis datos?', Payloads.dataPolicy],
      ['Hablar con una persona', Payloads.talkToPerson],
    ],
    menu: menu([
      ['Saldo', Payloads.balance],
      ['Gastos del mes', Payloads.spendingThisMonth],
      ['Movimientos recientes', Payloads.recentTransactions],
      ['Mis alertas', Payloads.alertSettings],
      ['Qué comparto', Payloads.manageSharing],
      ['Hablar con una persona', Payloads.talkToPerson],
    ]),
  };
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
