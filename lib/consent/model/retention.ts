/**
 * How long what the product keeps is kept (consent rules 6 and 8), in one place: the store enforces
 * these (TTL and filtering on read) and the consent records tell people and auditors the same
 * figures (consent/consent-record.ts), so the two cannot drift apart.
 */

/** Transactions are kept this many days from their date; older ones are neither stored nor answered. */
export const TRANSACTION_RETENTION_DAYS = 90;

/** Audit records, the consent history, outlive the data they describe: three years after each event. */
export const AUDIT_RETENTION_DAYS = 3 * 365;
