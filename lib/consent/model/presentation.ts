/**
 * Where the person's figures appear. `messenger`: in the chat, as any message, so through Meta's
 * servers. `private`: the chat says only that an answer is ready, with a button to a page this
 * product serves (single use, minutes), so Meta never carries an amount, a balance, a merchant, an
 * account name or mask, a date of a transaction or a category total of the person's.
 *
 * New consents default to private: it is the choice that gives away nothing the person did not
 * mean to give, and choosing the chat instead is one tap on the consent page or one confirmed
 * sentence in the chat. A person with no choice on record linked before the choice existed and was
 * told figures appear in the chat: they keep that until they choose.
 */
export const PRESENTATIONS = ['private', 'messenger'] as const;
export type Presentation = (typeof PRESENTATIONS)[number];

export const DEFAULT_PRESENTATION: Presentation = 'private';
/** What a person without a recorded choice gets (see above). */
export const UNCHOSEN_PRESENTATION: Presentation = 'messenger';

export const isPresentation = (value: unknown): value is Presentation => value === 'private' || value === 'messenger';
