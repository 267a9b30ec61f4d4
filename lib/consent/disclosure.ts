import { createHash } from 'node:crypto';
import { scopeLabels, SCOPES } from './scopes';

/**
 * The disclosure shown before any bank call (consent rule 1): who receives the data, from which
 * bank, for what, which categories, for how long, and how to stop. Its version and a hash of the
 * exact text are stored with every consent, so what a person agreed to can always be shown again.
 */
export const DISCLOSURE_VERSION = '2026-12-07.1';

export interface DisclosureInput {
  /** Who receives the data: the bank or fintech operating this assistant. */
  recipient: string;
}

export interface Disclosure {
  version: string;
  hash: string;
  sections: { heading: string; paragraphs: string[] }[];
}

export function disclosure({ recipient }: DisclosureInput): Disclosure {
  const sections = [
    {
      heading: 'Who receives your data',
      paragraphs: [
        `${recipient}, which runs this Messenger assistant. Your bank sends the data through Plaid, a bank-connection provider. Meta (Messenger) does not receive your bank data; it only carries the answers you ask for.`,
      ],
    },
    {
      heading: 'Which bank',
      paragraphs: ['The bank you choose on the next screen. You log in with your bank, not with us: we never see your bank password.'],
    },
    {
      heading: 'What it is used for',
      paragraphs: [
        'Only to answer your own questions in this chat and to send the alerts you choose. Nothing else: never for advertising, never sold, never shared with anyone, never used for analytics or offers.',
      ],
    },
    {
      heading: 'What you share',
      paragraphs: SCOPES.map((scope) => `${scopeLabels[scope].title}: ${scopeLabels[scope].detail}`),
    },
    {
      heading: 'For how long',
      paragraphs: [
        'For the period you choose, at most one year. We remind you 30 days before it ends (if it lasts longer than that) and again 7 days before, and one tap renews it; if you do not renew, we stop and delete the data.',
      ],
    },
    {
      heading: 'How to stop',
      paragraphs: [
        'Any time, in one step: write "stop sharing" in the chat, or use the link we send you. We then stop collecting at once, disconnect your bank, delete your balances and transactions, and tell you what was deleted. A record that you granted and revoked consent (without any financial data) is kept for 3 years.',
      ],
    },
  ];
  const hash = createHash('sha256').update(JSON.stringify({ version: DISCLOSURE_VERSION, sections })).digest('hex');
  return { version: DISCLOSURE_VERSION, hash, sections };
}
