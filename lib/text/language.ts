/** The languages the product speaks to people: every word in lib/text exists in each of them. */
export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
