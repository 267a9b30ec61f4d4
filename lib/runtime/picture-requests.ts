import { localToday, resolvePeriod } from '../assistant/nlu/periods';
import { InvalidInput } from '../errors';
import { createPictureQueue, type PictureQueue } from '../queue/picture-queue';
import type { Language } from '../text/language';
import type { Runtime } from './index';

/** A person's ask for their spending picture, as the conversation has it. */
export interface SpendingPictureAsk {
  psid: string;
  /** A period as the understanding reads it: 'this-month', 'last-month', 'last-30-days', 'month-10'… */
  period: string;
  language: Language;
  /** The inbound event's id: the picture is sent once for it. */
  key: string;
  /** Private mode: the picture goes to the person's private page. */
  private?: true;
}

export type RequestSpendingPicture = (ask: SpendingPictureAsk) => Promise<void>;

/**
 * The conversation's port to the spendingPicture function: the period is resolved here, where and
 * when the person asked (the deployment's time zone, this moment), and the ask goes on the picture
 * queue. Wiring of its own, apart from the worker's (insights.ts), so that the conversation
 * bundles the queue and not the renderer. Undefined where no picture queue is configured: the
 * assistant then has no picture to offer. The SQS client is made on first use.
 */
export function spendingPictureRequests(runtime: Pick<Runtime, 'config' | 'clock' | 'assistant'>): RequestSpendingPicture | undefined {
  const { config } = runtime;
  const queueUrl = config.PICTURE_QUEUE_URL;
  if (!queueUrl) return undefined;
  let made: PictureQueue | undefined;
  const queue = () => (made ??= createPictureQueue({ queueUrl, region: config.AWS_REGION, endpoint: config.SQS_ENDPOINT }));
  return async ({ psid, period, language, key, private: privately }) => {
    const days = resolvePeriod(period, localToday(runtime.clock(), runtime.assistant.timeZone));
    if (!days) throw new InvalidInput(`No period is called ${period.slice(0, 40)}`);
    await queue().send({ psid, key, language, period: days, ...(privately ? { private: true as const } : {}) });
  };
}
