import type { Language } from './language';
import { profile as en } from './en/profile';
import { profile as es } from './es/profile';

/**
 * The Page's Messenger profile (lib/messenger/profile.ts): the greeting, the ice breakers and the
 * persistent menu. `{{user_first_name}}` is filled in by Messenger.
 */
export interface ProfileWords {
  greeting: (brand: string) => string;
  /** Questions offered before the first message. */
  breakers: { balance: string; spending: string; dataPolicy: string; talkToPerson: string };
  menu: { balance: string; spending: string; recentTransactions: string; alertSettings: string; whatIShare: string; talkToPerson: string };
}

export const profileWords: Record<Language, ProfileWords> = { en, es };
