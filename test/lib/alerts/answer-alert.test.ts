import { describe, expect, it } from 'vitest';
import { answerAlert, latestOpenAlert } from '../../../lib/alerts/answer-alert';
import type { AlertInbox } from '../../../lib/store';

/** "Was this you?": the answer is recorded on the person's own alert, and nowhere else. */
type Found = Awaited<ReturnType<AlertInbox['find']>>;
function inbox(alerts: Record<string, string>) {
  const answers: { psid: string; alertId: string; answer: string }[] = [];
  const fake: Pick<AlertInbox, 'find' | 'answer' | 'latestOpen'> = {
    find: async (psid, alertId) => (alerts[alertId] === psid ? ({ alertId } as unknown as Found) : undefined),
    answer: async (psid, alert, answer) => {
      answers.push({ psid, alertId: (alert as unknown as { alertId: string }).alertId, answer });
      return true;
    },
    latestOpen: async (psid) => (Object.entries(alerts).find(([, owner]) => owner === psid) ? ({ alertId: Object.keys(alerts)[0] } as unknown as Found) : undefined),
  };
  return { fake, answers };
}

describe('answering an alert', () => {
  it('records the answer on the person’s own alert', async () => {
    const { fake, answers } = inbox({ 'a-1': 'p-1' });

    expect(await answerAlert('p-1', 'a-1', 'no', fake)).toBe('recorded');
    expect(answers).toEqual([{ psid: 'p-1', alertId: 'a-1', answer: 'no' }]);
  });

  it('records nothing for an alert that is not the person’s, or no longer on record', async () => {
    const { fake, answers } = inbox({ 'a-1': 'someone-else' });

    expect([await answerAlert('p-1', 'a-1', 'yes', fake), await answerAlert('p-1', 'a-2', 'yes', fake)]).toEqual(['unknown', 'unknown']);
    expect(answers).toEqual([]);
  });

  it('finds the alert a bare "yes" or "no" answers, if one waits', async () => {
    expect(await latestOpenAlert('p-1', inbox({ 'a-1': 'p-1' }).fake)).toBe('a-1');
    expect(await latestOpenAlert('p-1', inbox({}).fake)).toBeUndefined();
  });
});
