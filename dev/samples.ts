/**
 * The sample events under events/: dev/make-events.ts writes them, each with a "//" line saying
 * what it shows and whether it needs the local stack; `npm run invoke` lists them and, before it
 * runs one that needs the stack, checks that `npm start` is running.
 */
export interface Sample {
  functionName: string;
  /** From the project root. */
  file: string;
  /** What running it shows. */
  shows: string;
  /** It reads or writes DynamoDB Local (or the queue, or the Graph API stub): `npm start` must be running. */
  needsStack: boolean;
  /** More to know, written into the file. */
  note?: string;
}

export const samples: readonly Sample[] = [
  { functionName: 'messengerWebhook', file: 'events/messengerWebhook.get.json', shows: "Meta's subscription check, answered with its challenge", needsStack: false },
  {
    functionName: 'messengerWebhook',
    file: 'events/messengerWebhook.post.json',
    shows: 'a message from a test person, recorded for the conversation (re-signed with your app secret)',
    needsStack: true,
  },
  { functionName: 'conversation', file: 'events/conversation.stream.json', shows: 'that message answered: the reply goes to the Graph API stub', needsStack: true },
  {
    functionName: 'consent',
    file: 'events/consent.get.json',
    shows: 'the consent page of a link',
    needsStack: true,
    note:
      'Its link token is a placeholder, so the page says the link is not valid. For a real one: with npm start running, ' +
      'npm run say -- "link my bank" prints a consent link, http://localhost:3000/consent?t=<token>; put that token in place of the ' +
      'placeholder, in queryStringParameters.t and in rawQueryString. It works for 30 minutes, until the page is confirmed.',
  },
  { functionName: 'consentEffects', file: 'events/consentEffects.stream.json', shows: 'a pending consent revoked: nothing to purge, the deletion audited', needsStack: true },
  { functionName: 'consentExpiry', file: 'events/consentExpiry.scheduled.json', shows: 'the sweep: reminders before consents end, and their expiry', needsStack: true },
  { functionName: 'bankWebhook', file: 'events/bankWebhook.post.json', shows: 'an unsigned bank webhook, refused with 401', needsStack: false },
  { functionName: 'syncScheduler', file: 'events/syncScheduler.scheduled.json', shows: 'the bank syncs that are due, queued', needsStack: true },
  { functionName: 'syncWorker', file: 'events/syncWorker.sqs.json', shows: 'a sync request for an item no consent covers', needsStack: true },
  {
    functionName: 'spendingPicture',
    file: 'events/spendingPicture.sqs.json',
    shows: "test person 1's spending picture for November 1-21, 2026: drawn and sent to the Graph API stub if they share transactions, nothing otherwise",
    needsStack: true,
    note: 'Once per key: change "key" in the body to see it again.',
  },
];

/** The "//" line a sample file starts with. */
export function sampleNote(sample: Sample): string {
  const needs = sample.needsStack ? 'Needs npm start running.' : 'Runs without the local stack.';
  return [`npm run invoke -- ${sample.functionName} ${sample.file}: ${sample.shows}. ${needs}`, sample.note].filter(Boolean).join(' ');
}
