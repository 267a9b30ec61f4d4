import { createHash } from 'node:crypto';
import { disclosureSections } from '../text/en/pages';

/**
 * The disclosure shown before any bank call (consent rule 1): who receives the data, from which
 * bank, for what, which categories, for how long, and how to stop. Its version and a hash of the
 * exact text are stored with every consent, so what a person agreed to can always be shown again.
 * The words are in lib/text/en/pages.ts: a change to them is a new disclosure and a new version.
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
  const sections = disclosureSections(recipient);
  const hash = createHash('sha256').update(JSON.stringify({ version: DISCLOSURE_VERSION, sections })).digest('hex');
  return { version: DISCLOSURE_VERSION, hash, sections };
}
