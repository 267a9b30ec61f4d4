import type { AlertInbox } from '../store';

/**
 * The person's answer to "Was this you?" on one of their own fraud alerts: recorded on the alert
 * when it is theirs and still on record; `unknown` otherwise (an alert id from a stale button, or
 * from someone else's), which the chat answers plainly.
 */
export async function answerAlert(psid: string, alertId: string, answer: 'yes' | 'no', inbox: Pick<AlertInbox, 'find' | 'answer'>): Promise<'recorded' | 'unknown'> {
  const alert = await inbox.find(psid, alertId);
  if (!alert) return 'unknown';
  await inbox.answer(psid, alert, answer);
  return 'recorded';
}

/** The person's most recent fraud alert still waiting for an answer, if any: what a bare "yes" or "no" answers. */
export async function latestOpenAlert(psid: string, inbox: Pick<AlertInbox, 'latestOpen'>): Promise<string | undefined> {
  return (await inbox.latestOpen(psid))?.alertId;
}
