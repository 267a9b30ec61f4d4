import { describe, expect, it } from 'vitest';
import { asRefreshNotice, REFRESH_NOTICE_KIND, refreshNotice } from '../../../lib/sync/refresh-notice';

/** "Fresh data is in": the inbox notice a finished sync leaves for whoever waits for it. */
const PSID = '6543210987654321';
const SYNCED = new Date('2026-11-21T10:00:00.000Z');

describe('refreshNotice', () => {
  it('is the same notice for the same sync, whoever writes it, so the inbox keeps it once', () => {
    expect(refreshNotice(PSID, 'item-1', new Date(SYNCED))).toEqual(refreshNotice(PSID, 'item-1', new Date(SYNCED)));
  });

  it('is another notice for another sync or another connection', () => {
    const ids = [refreshNotice(PSID, 'item-1', SYNCED), refreshNotice(PSID, 'item-1', new Date(SYNCED.getTime() + 1)), refreshNotice(PSID, 'item-2', SYNCED)].map((n) => n.id);

    expect(new Set(ids).size).toBe(3);
  });

  it('carries ids only, never data, on the messaging channel at the time of the sync', () => {
    expect(refreshNotice(PSID, 'item-1', SYNCED)).toEqual({
      id: `refresh:item-1:${SYNCED.getTime()}`,
      kind: REFRESH_NOTICE_KIND,
      psid: PSID,
      pageId: '',
      timestamp: SYNCED.getTime(),
      channel: 'messaging',
      data_refreshed: { itemId: 'item-1' },
    });
  });
});

describe('asRefreshNotice', () => {
  const notice = refreshNotice(PSID, 'item-1', SYNCED);

  it('reads back a notice as written', () => {
    expect(asRefreshNotice(JSON.parse(JSON.stringify(notice)))).toEqual(notice);
  });

  it('is not a person’s message', () => {
    const message = { id: 'm-1', kind: 'message', psid: PSID, pageId: '106123456789012', timestamp: 1, channel: 'messaging', message: { mid: 'm-1', text: 'balance?' } };

    expect(asRefreshNotice(message)).toBeUndefined();
  });

  it.each([
    ['another kind', { ...notice, kind: 'message' }],
    ['no person', { ...notice, psid: '' }],
    ['a person id too long to be one', { ...notice, psid: '9'.repeat(65) }],
    ['no connection', { ...notice, data_refreshed: { itemId: '' } }],
    ['no connection at all', { ...notice, data_refreshed: undefined }],
    ['the standby channel', { ...notice, channel: 'standby' }],
    ['an empty id', { ...notice, id: '' }],
  ])('refuses a notice with %s', (_case, event) => {
    expect(asRefreshNotice(event)).toBeUndefined();
  });

  it.each([[null], ['data_refreshed'], [[notice]]])('refuses what is not an event (%j)', (event) => {
    expect(asRefreshNotice(event)).toBeUndefined();
  });

  it('keeps nothing a notice does not carry', () => {
    const read = asRefreshNotice({ ...notice, balance: 1234.56, data_refreshed: { itemId: 'item-1', accounts: ['a-1'] } });

    expect(read).toEqual(notice);
  });
});
