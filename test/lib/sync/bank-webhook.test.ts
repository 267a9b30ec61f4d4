import { describe, expect, it } from 'vitest';
import { WebhookUnverified, type PlaidWebhookEvent } from '../../../lib/banking/webhook-verification';
import type { Consent } from '../../../lib/consent/model/consent';
import type { Log } from '../../../lib/logger';
import type { OutboundMessage } from '../../../lib/messenger/send-api';
import type { SyncRequest } from '../../../lib/queue/sync-queue';
import { onBankWebhook, receiveBankWebhook, type BankWebhookDeps, type ReceiveDeps } from '../../../lib/sync/bank-webhook';
import { ACTIVE_CONSENT } from '../../support/consents';

/** What a verified bank webhook makes the person read, with plain fakes for the ports. */
const NOW = new Date('2026-12-07T12:00:00.000Z');
const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Log;
const CONSENT = ACTIVE_CONSENT;
const RECONNECT = 'https://consent.example/link/reconnect?t=abc';

function fakes(options: { lang?: 'en' | 'es'; consent?: Consent } = {}) {
  const told: { key: string; message: OutboundMessage }[] = [];
  const loginRequired: { consentId: string; messages: OutboundMessage[] | undefined }[] = [];
  const revokedByBank: string[] = [];
  const syncs: SyncRequest[] = [];
  const unscheduled: string[] = [];
  const deps: BankWebhookDeps = {
    findBankItem: async (itemId) => (itemId === 'item-1' ? { psid: CONSENT.psid, consentId: CONSENT.consentId } : undefined),
    getConsent: async () => options.consent ?? CONSENT,
    requestSync: async (request) => void syncs.push(request),
    unscheduleSync: async (key, status) => void unscheduled.push(`${key.itemId}:${status}`),
    events: {
      loginRequired: async (consent, messages) => void loginRequired.push({ consentId: consent.consentId, messages }),
      accessRevoked: async (consent) => void revokedByBank.push(consent.consentId),
    },
    notify: async (_psid, key, messages) => void told.push(...messages.map((message) => ({ key, message }))),
    reconnectLink: () => RECONNECT,
    ...(options.lang ? { language: async () => options.lang } : {}),
    clock: () => NOW,
    log,
  };
  return { deps, told, loginRequired, revokedByBank, syncs, unscheduled };
}

const payloadOf = (message: OutboundMessage) => {
  if (!('attachment' in message)) throw new Error('expected a button template');
  return message.attachment.payload;
};

const disconnect = (reason?: 'permission-ends' | 'migration'): PlaidWebhookEvent => ({
  kind: 'pending-disconnect',
  itemId: 'item-1',
  disconnectAt: new Date('2026-12-14T12:00:00.000Z'),
  ...(reason ? { reason } : {}),
});

describe('a PENDING_DISCONNECT webhook', () => {
  it('tells the person once, with the date and why in plain words, and a button to log in again', async () => {
    const { deps, told } = fakes();

    const effect = await onBankWebhook(disconnect('permission-ends'), deps);

    expect(effect).toBe('person-told');
    expect(told.map((t) => t.key)).toEqual(['bank-pending-disconnect:consent-1:2026-12-07']);
    const payload = payloadOf(told[0]!.message);
    expect(payload.text).toBe(
      'The permission you gave at First Platypus Bank for me to read your accounts ends on 14 Dec 2026. ' +
        'To keep your answers and alerts up to date, tap "Log in again" and log in at your bank before then. ' +
        'Nothing else changes: you share the same things with me until 1 Jun 2027.',
    );
    expect(payload.buttons).toEqual([
      { type: 'web_url', title: 'Log in again', url: RECONNECT, webview_height_ratio: 'tall' },
      { type: 'postback', title: 'Stop sharing', payload: 'STOP_SHARING' },
    ]);
  });

  it('says the bank is changing how it connects when it migrates', async () => {
    const { deps, told } = fakes();

    await onBankWebhook(disconnect('migration'), deps);

    expect(payloadOf(told[0]!.message).text).toMatch(/^First Platypus Bank is changing how it connects to apps like this one, so my connection to it stops working on 14 Dec 2026\. /);
  });

  it('still warns, with the date, when the reason is one it does not know', async () => {
    const { deps, told } = fakes();

    await onBankWebhook(disconnect(), deps);

    expect(payloadOf(told[0]!.message).text).toMatch(/^First Platypus Bank will stop sharing with me on 14 Dec 2026\. /);
  });

  it('speaks Spanish to a Spanish speaker, with the same buttons', async () => {
    const { deps, told } = fakes({ lang: 'es' });

    await onBankWebhook(disconnect('permission-ends'), deps);

    const payload = payloadOf(told[0]!.message);
    expect(payload.text).toMatch(/^El permiso que diste en First Platypus Bank para que yo lea tus cuentas termina el 14 dic 2026\. .*toca "Iniciar sesión"/);
    expect(payload.buttons.map((b) => b.type)).toEqual(['web_url', 'postback']);
  });

  it('tells nobody about an item no consent in force covers', async () => {
    const { deps, told } = fakes({ consent: { ...CONSENT, status: 'revoked', endedBy: 'person' } });

    expect(await onBankWebhook(disconnect('permission-ends'), deps)).toBe('no-consent');
    expect(told).toEqual([]);
  });
});

describe('a PENDING_EXPIRATION webhook', () => {
  it('says the permission at the bank ends on its date, with a button to log in again', async () => {
    const { deps, told } = fakes();

    await onBankWebhook({ kind: 'pending-expiration', itemId: 'item-1', consentExpiresAt: new Date('2026-12-14T00:00:00.000Z') }, deps);

    const payload = payloadOf(told[0]!.message);
    expect(told[0]!.key).toBe('bank-pending-expiration:consent-1:2026-12-07');
    expect(payload.text).toMatch(/^The permission you gave at First Platypus Bank for me to read your accounts ends on 14 Dec 2026\. /);
    expect(payload.buttons[0]).toEqual({ type: 'web_url', title: 'Log in again', url: RECONNECT, webview_height_ratio: 'tall' });
  });
});

describe('an ITEM ERROR webhook (login required)', () => {
  it('takes the connection off the schedule and asks the person, through the bank events, to log in again with a link', async () => {
    const { deps, loginRequired, unscheduled } = fakes();

    const effect = await onBankWebhook({ kind: 'login-required', itemId: 'item-1', errorCode: 'ITEM_LOGIN_REQUIRED' }, deps);

    expect(effect).toBe('person-told');
    expect(unscheduled).toEqual(['item-1:login-required']);
    expect(loginRequired.map((l) => l.consentId)).toEqual(['consent-1']);
    const buttons = payloadOf(loginRequired[0]!.messages![0]!).buttons;
    expect(buttons[0]).toMatchObject({ type: 'web_url', url: RECONNECT });
  });
});

describe('a USER_PERMISSION_REVOKED webhook', () => {
  it('is a revocation by the bank of the consent covering the item', async () => {
    const { deps, revokedByBank, told } = fakes();

    expect(await onBankWebhook({ kind: 'permission-revoked', itemId: 'item-1' }, deps)).toBe('revoked');
    expect(revokedByBank).toEqual(['consent-1']);
    expect(told).toEqual([]);
  });
});

describe('receiving a delivery', () => {
  const body = (type: string, code: string) => new TextEncoder().encode(JSON.stringify({ webhook_type: type, webhook_code: code, item_id: 'item-1' }));

  function receiving(options: { verified?: boolean } = {}) {
    const { deps: effects, syncs, revokedByBank } = fakes();
    const recorded = new Set<string>();
    const warnings: unknown[] = [];
    let effectsBuilt = 0;
    const deps: ReceiveDeps = {
      verifier: {
        verify: async () => {
          if (options.verified === false) throw new WebhookUnverified('body-mismatch');
        },
      },
      recordDelivery: async (dedupeId) => (recorded.has(dedupeId) ? 'duplicate' : (recorded.add(dedupeId), 'new')),
      effects: async () => {
        effectsBuilt++;
        return effects;
      },
      log: { ...log, warn: (...args: unknown[]) => void warnings.push(args) } as unknown as Log,
    };
    return { deps, syncs, revokedByBank, warnings, effectsBuilt: () => effectsBuilt };
  }

  it('acts on a redelivered webhook once, and builds nothing for the duplicate', async () => {
    const { deps, revokedByBank, effectsBuilt } = receiving();
    const revoked = body('ITEM', 'USER_PERMISSION_REVOKED');

    expect(await receiveBankWebhook(revoked, 'sig', deps)).toBe('revoked');
    expect(await receiveBankWebhook(revoked, 'sig', deps)).toBe('duplicate');
    expect(revokedByBank).toEqual(['consent-1']);
    expect(effectsBuilt()).toBe(1);
  });

  it('never deduplicates "sync updates available": two identical ones are two syncs', async () => {
    const { deps, syncs } = receiving();
    const updates = body('TRANSACTIONS', 'SYNC_UPDATES_AVAILABLE');

    await receiveBankWebhook(updates, 'sig', deps);
    await receiveBankWebhook(updates, 'sig', deps);

    expect(syncs).toEqual([
      { psid: CONSENT.psid, itemId: 'item-1', reason: 'webhook' },
      { psid: CONSENT.psid, itemId: 'item-1', reason: 'webhook' },
    ]);
  });

  it('refuses an unverified delivery before reading it, saying why in the log', async () => {
    const { deps, syncs, warnings, effectsBuilt } = receiving({ verified: false });

    await expect(receiveBankWebhook(body('TRANSACTIONS', 'SYNC_UPDATES_AVAILABLE'), undefined, deps)).rejects.toBeInstanceOf(WebhookUnverified);
    expect(syncs).toEqual([]);
    expect(effectsBuilt()).toBe(0);
    expect(warnings).toEqual([['Bank webhook refused', { reason: 'body-mismatch' }]]);
  });
});
