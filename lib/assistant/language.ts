import { LANGUAGES, type Language } from '../text/language';

/**
 * The language a person's stored conversation item holds, if it is one the assistant speaks. For
 * readers that need only the language (the sync worker, for an alert): the whole state's schema
 * would bring the NLU lexicon into their bundle and its cold start.
 */
export const storedLanguage = (raw: Record<string, unknown> | undefined): Language | undefined =>
  LANGUAGES.find((lang) => lang === raw?.lang);
