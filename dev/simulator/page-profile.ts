import { messengerProfile } from '../../lib/messenger/profile';

/**
 * What Messenger shows of the Page's profile: the persistent menu, the ice breakers and the greeting
 * of an empty conversation, and the Get Started payload. Each field is the one last set through the
 * Graph API stub's `/me/messenger_profile` (what `npm run messenger:profile` sends), else what
 * that command would set.
 */
export interface MenuItem {
  type: 'postback' | 'web_url';
  title: string;
  payload?: string;
  url?: string;
}

export interface PageProfile {
  menu: MenuItem[];
  iceBreakers: { question: string; payload: string }[];
  greeting?: string;
  getStarted?: string;
  /** Fields that came from a messenger_profile request rather than the default. */
  fromGraph: string[];
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const defaultLocale = (entries: unknown): Json | undefined =>
  Array.isArray(entries) ? ((entries.find((e) => isObject(e) && e.locale === 'default') ?? entries.find(isObject)) as Json | undefined) : undefined;

const menuOf = (body: Json): MenuItem[] | undefined => {
  const actions = defaultLocale(body.persistent_menu)?.call_to_actions;
  if (!Array.isArray(actions)) return undefined;
  return actions.flatMap((entry): MenuItem[] => {
    if (!isObject(entry) || typeof entry.title !== 'string') return [];
    if (entry.type === 'postback' && typeof entry.payload === 'string') return [{ type: 'postback', title: entry.title, payload: entry.payload }];
    if (entry.type === 'web_url' && typeof entry.url === 'string') return [{ type: 'web_url', title: entry.title, url: entry.url }];
    return [];
  });
};

const iceBreakersOf = (body: Json): PageProfile['iceBreakers'] | undefined => {
  const actions = defaultLocale(body.ice_breakers)?.call_to_actions;
  if (!Array.isArray(actions)) return undefined;
  return actions.flatMap((a) => (isObject(a) && typeof a.question === 'string' && typeof a.payload === 'string' ? [{ question: a.question, payload: a.payload }] : []));
};

const greetingOf = (body: Json) => {
  const text = defaultLocale(body.greeting)?.text;
  return typeof text === 'string' ? text : undefined;
};

const getStartedOf = (body: Json) => (isObject(body.get_started) && typeof body.get_started.payload === 'string' ? body.get_started.payload : undefined);

/** `requests`: the bodies of the messenger_profile requests the Graph API stub accepted, oldest first. */
export function pageProfile(requests: unknown[], brand: string): PageProfile {
  const fallback = messengerProfile({ brand }) as unknown as Json;
  const profile: PageProfile = {
    menu: menuOf(fallback) ?? [],
    iceBreakers: iceBreakersOf(fallback) ?? [],
    greeting: greetingOf(fallback),
    getStarted: getStartedOf(fallback),
    fromGraph: [],
  };
  const set = <K extends keyof Omit<PageProfile, 'fromGraph'>>(key: K, value: PageProfile[K] | undefined) => {
    if (value === undefined) return;
    profile[key] = value;
    if (!profile.fromGraph.includes(key)) profile.fromGraph.push(key);
  };
  for (const body of requests.filter(isObject)) {
    set('menu', menuOf(body));
    set('iceBreakers', iceBreakersOf(body));
    set('greeting', greetingOf(body));
    set('getStarted', getStartedOf(body));
  }
  return profile;
}
