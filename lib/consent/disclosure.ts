import { createHash } from 'node:crypto';
import { disclosureSections } from '../text/en/pages';
import type { DisclosureRef } from './model/consent';

/**
 * The disclosure shown before any bank call (consent rule 1): who receives the data, from which
 * bank, for what, which categories, for how long, and how to stop. Its version and a hash of the
 * exact text are stored with every consent, so what a person agreed to can always be shown again.
 * The words are in lib/text/en/pages.ts: a change to them is a new disclosure and a new version.
 *
 * A consent keeps the disclosure it was given under. New consents get this one; a consent given
 * under another is not renewed in one tap at its next renewal: the person is shown this text and
 * renews by agreeing to it (model/consent.ts renewConsent and reconfirmConsent, renew-sharing.ts).
 *
 * 2026-12-07.2: says plainly that answers and alerts appear in the Messenger chat and pass through
 * Meta's servers like any message (.1 said Meta did not receive bank data, which answers are).
 * 2026-12-07.3: the choice of where figures appear: private (the default: a page of ours) or in
 * Messenger (through Meta), and what Meta carries in each.
 */
export const DISCLOSURE_VERSION = '2026-12-07.3';

export interface DisclosureInput {
  /** Who receives the data: the bank or fintech operating this assistant. */
  recipient: string;
}

export interface Disclosure extends DisclosureRef {
  sections: { heading: string; paragraphs: string[] }[];
}

export function disclosure({ recipient }: DisclosureInput): Disclosure {
  const sections = disclosureSections(recipient);
  const hash = createHash('sha256').update(JSON.stringify({ version: DISCLOSURE_VERSION, sections })).digest('hex');
  return { version: DISCLOSURE_VERSION, hash, sections };
}
