import * as z from 'zod/mini';
import '../validation';

/**
 * "Fresh data is in": written to a person's inbox by the sync worker when a sync someone was
 * waiting for finishes (a refresh the assistant asked for, the first sync of a new link, or
 * another sync of the connection that such a request met in flight). It travels the same stream
 * as Messenger's events, so the updated answer is sent in order with the person's messages and
 * through the same reply ledger. It carries ids only, never data.
 */
export const REFRESH_NOTICE_KIND = 'data_refreshed';

const notice = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(300)),
  kind: z.literal(REFRESH_NOTICE_KIND),
  psid: z.string().check(z.minLength(1), z.maxLength(64)),
  pageId: z.string(),
  timestamp: z.number(),
  channel: z.literal('messaging'),
  data_refreshed: z.object({ itemId: z.string().check(z.minLength(1), z.maxLength(128)) }),
});
export type RefreshNotice = z.infer<typeof notice>;

/**
 * The notice of one sync's data: its id is the connection and the sync's end (the connection's
 * `lastSyncAt`), so the sync that ended and a waiting request that finds it ended write the same
 * notice, which the inbox keeps once (and the conversation answers a promised refresh once anyway).
 */
export function refreshNotice(psid: string, itemId: string, syncedAt: Date): RefreshNotice {
  return {
    id: `refresh:${itemId}:${syncedAt.getTime()}`,
    kind: REFRESH_NOTICE_KIND,
    psid,
    pageId: '',
    timestamp: syncedAt.getTime(),
    channel: 'messaging',
    data_refreshed: { itemId },
  };
}

export function asRefreshNotice(event: unknown): RefreshNotice | undefined {
  const parsed = notice.safeParse(event);
  return parsed.success ? parsed.data : undefined;
}
