/**
 * Key builders for every entity of the main table, in one place. Items of one person share a
 * partition (`USER#<psid>`) so their stream records stay in order; events that concern no person
 * (e.g. a policy-enforcement notice to the Page) live under the Page.
 */
export const userPk = (psid: string) => `USER#${psid}`;
export const pagePk = (pageId: string) => `PAGE#${pageId}`;
export const inboxSk = (eventId: string) => `INBOX#${eventId}`;
export const replySk = (eventId: string) => `REPLY#${eventId}`;
export const profileSk = () => 'PROFILE';

/** Item types, also matched by the stream's event filter in serverless.yml. */
export const ItemType = {
  inbox: 'inbox',
  reply: 'reply',
  profile: 'profile',
} as const;

export const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);
export const ttlAfterDays = (now: Date, days: number) => epochSeconds(now) + days * 86_400;
