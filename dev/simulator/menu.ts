import { Payloads } from '../../lib/assistant/intents';

/**
 * The persistent menu the simulator shows: the one last set through the Graph API stub's
 * `messenger_profile` (what `npm run messenger:profile` sends), else this default, which offers the
 * same entry points.
 */
export interface MenuItem {
  type: 'postback' | 'web_url';
  title: string;
  payload?: string;
  url?: string;
}

export const DEFAULT_MENU: MenuItem[] = [
  { type: 'postback', title: 'Get started', payload: Payloads.getStarted },
  { type: 'postback', title: 'Help', payload: Payloads.help },
  { type: 'postback', title: 'What I share', payload: Payloads.manageSharing },
  { type: 'postback', title: 'How my data is used', payload: Payloads.dataPolicy },
  { type: 'postback', title: 'Stop sharing', payload: Payloads.stopSharing },
];

/** The default-locale menu of a messenger_profile request body, if it sets one. */
export function menuOfProfile(body: unknown): MenuItem[] | undefined {
  const menus = (body as { persistent_menu?: unknown } | null)?.persistent_menu;
  if (!Array.isArray(menus)) return undefined;
  const menu = (menus.find((m) => (m as { locale?: unknown })?.locale === 'default') ?? menus[0]) as { call_to_actions?: unknown } | undefined;
  if (!Array.isArray(menu?.call_to_actions)) return undefined;
  return menu.call_to_actions.flatMap((entry): MenuItem[] => {
    const { type, title, payload, url } = entry as Record<string, unknown>;
    if (typeof title !== 'string') return [];
    if (type === 'postback' && typeof payload === 'string') return [{ type, title, payload }];
    if (type === 'web_url' && typeof url === 'string') return [{ type, title, url }];
    return [];
  });
}
