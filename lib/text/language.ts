/** The languages the product speaks to people: every word in lib/text exists in each of them. */
export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The browser's language (its Accept-Language), for the pages that know nothing else of the person. */
export const browserLanguage = (acceptLanguage: string | undefined): Language => (/^\s*es\b/i.test(acceptLanguage ?? '') ? 'es' : 'en');
