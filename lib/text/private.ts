import type { Language } from './language';
import { privateWords as en } from './en/private';
import { privateWords as es } from './es/private';

/** What a private answer is about: its "ready" line in the chat and its page's heading. */
export const PRIVATE_KINDS = ['balances', 'transactions', 'spending', 'search', 'largest', 'subscriptions', 'bills', 'income', 'linked', 'alert-fraud', 'alert-notice', 'updated'] as const;
export type PrivateKind = (typeof PRIVATE_KINDS)[number];

/**
 * Private mode (lib/consent/private-answers.ts): the chat's short lines that say an answer is
 * ready without a figure in them, the page that shows it, and the choice between the two modes.
 */
export interface PrivateWords {
  /** The chat's line for each kind of answer: no amount, name, mask, merchant or date in it. */
  ready: Record<PrivateKind, string>;
  /** After the ready line, in a utility template outside the 24-hour window (no button there). */
  writeToSee: string;
  /** The button that opens the page. */
  open: string;
  page: {
    heading: Record<PrivateKind, string>;
    /** Under the answer: how the page works. */
    onceNote: string;
    goneTitle: string;
    gone: string;
    itWasMe: string;
    notMe: string;
    answeredTitle: string;
  };
  mode: {
    /** Asked when the words did not say which way. */
    which: string;
    private: string;
    messenger: string;
    /** The restated change, waiting for a yes. */
    confirm: (to: 'private' | 'messenger') => string;
    done: (to: 'private' | 'messenger') => string;
    already: (mode: 'private' | 'messenger') => string;
  };
}

export const privateWords: Record<Language, PrivateWords> = { en, es };
