import { describe, expect, it } from 'vitest';
import { alertIdOf, deliverHeldAlerts, presentHeld, raiseAlert, type HeldAlert, type RaiseDeps } from '../../../lib/alerts/deliver';
import type { Presentation } from '../../../lib/consent/model/presentation';
import { createPresenter, type PrivateContent } from '../../../lib/consent/private-answers';
import type { OutboundMessage } from '../../../lib/messenger/send-api';
import { consent, fraud, IN_WINDOW, large, NOW, raiseDepsFake, silentLog } from '../../support/alerts';

/**
 * Alerts in private mode: inside the 24-hour window the chat gets the "ready" line and a button to
 * the alert's page (its answers kept as quick replies); outside it, the notice template says only
 * that an alert is waiting, and the alert is held, then presented privately when the person writes.
 */
const OUT_OF_WINDOW = NOW.getTime() - 25 * 3_600_000;
const ID = alertIdOf(fraud.dedupeKey);
/** The alert's figures, names and dates as the chat would write them. */
const FIGURES = ['912.40', 'ELECTRO-WORLD', 'Everyday Checking', 'Nov 21', '6:55'];
const figuresIn = (value: unknown) => FIGURES.filter((figure) => JSON.stringify(value).includes(figure));

function fakes(options: { mode: Presentation; lastInboundAt?: number; templates?: RaiseDeps['templates'] }) {
  const kept: PrivateContent[] = [];
  const held: { alertId: string; message: unknown }[] = [];
  const presenter = createPresenter({
    store: { getPresentation: async () => options.mode },
    answers: { keepPrivateAnswer: async (_psid, answer) => void kept.push(answer.content as unknown as PrivateContent) },
    settings: async () => ({ publicBaseUrl: 'https://assistant.test', linkSecret: 'alerts-secret' }),
    clock: () => NOW,
  });
  const { deps, sent } = raiseDepsFake(options, {
    financial: { recordAlert: async () => 'new', holdAlert: async (_c, alert) => void held.push(alert) },
    presenter,
  });
  return { deps, calls: { ...sent, held }, kept, presenter };
}

const textOf = (message: OutboundMessage | undefined) =>
  !message ? undefined : 'text' in message ? message.text : message.attachment.type === 'template' ? message.attachment.payload.text : '';
const buttonsOf = (message: OutboundMessage | undefined) => (message && 'attachment' in message && message.attachment.type === 'template' ? message.attachment.payload.buttons : []);

describe('raising an alert in private mode, inside the window', () => {
  it('sends the ready line with a button to the alert’s page, and "Was this you?" as quick replies', async () => {
    const { deps, calls } = fakes({ mode: 'private', lastInboundAt: IN_WINDOW });

    expect(await raiseAlert(consent, [fraud, large], deps)).toBe('sent');

    const [[sent]] = calls.notify as [[OutboundMessage]];
    expect(textOf(sent)).toBe('A card payment needs your review.');
    expect(buttonsOf(sent)).toEqual([expect.objectContaining({ type: 'web_url', url: expect.stringMatching(/^https:\/\/assistant\.test\/private\/answer\?t=/) })]);
    expect(sent.quick_replies?.map((q) => q.payload)).toEqual([`FRAUD_YES:${ID}`, `FRAUD_NO:${ID}`]);
    expect(figuresIn(calls.notify)).toEqual([]);
    expect([calls.utility, calls.held]).toEqual([[], []]);
  });

  it('keeps the whole alert, with its id, for the page', async () => {
    const { deps, kept } = fakes({ mode: 'private', lastInboundAt: IN_WINDOW });

    await raiseAlert(consent, [fraud], deps);

    expect(kept).toEqual([
      {
        kind: 'alert-fraud',
        lang: 'en',
        alertId: ID,
        lines: ['⚠️ $912.40 at ELECTRO-WORLD · Everyday Checking · Nov 21, 6:55 AM ET', 'Why: first payment at this merchant in 90 days', 'Was this you?'],
      },
    ]);
  });

  it('sends a notice (not about fraud) as its own ready line, without quick replies', async () => {
    const { deps, calls, kept } = fakes({ mode: 'private', lastInboundAt: IN_WINDOW });

    await raiseAlert(consent, [large], deps);

    expect(textOf(calls.notify[0]?.[0])).toBe('An account alert is ready for you.');
    expect(calls.notify[0]?.[0]?.quick_replies).toBeUndefined();
    expect(kept[0]).toMatchObject({ kind: 'alert-notice', alertId: alertIdOf(large.dedupeKey) });
  });

  it('sends the alert with its figures to a person who chose Messenger (the same check finds them)', async () => {
    const { deps, calls, kept } = fakes({ mode: 'messenger', lastInboundAt: IN_WINDOW });

    await raiseAlert(consent, [fraud], deps);

    expect(figuresIn(calls.notify)).toEqual(FIGURES);
    expect(kept).toEqual([]);
  });
});

describe('raising an alert in private mode, outside the window', () => {
  const templates = { fraud: { name: 'bank_fraud_check', language: 'en_US' }, notice: { name: 'bank_notice', language: 'en_US' } };

  it('sends the notice template saying only that an alert is waiting, and holds the alert', async () => {
    const { deps, calls } = fakes({ mode: 'private', lastInboundAt: OUT_OF_WINDOW, templates });

    expect(await raiseAlert(consent, [fraud, large], deps)).toBe('held');

    expect(calls.utility).toEqual([
      {
        template: {
          name: 'bank_notice',
          language: { code: 'en_US' },
          components: [{ type: 'body', parameters: [{ type: 'text', text: 'A card payment needs your review. Write to me here to see it.' }] }],
        },
      },
    ]);
    expect(figuresIn(calls.utility)).toEqual([]);
    expect(calls.held.map((h) => [h.alertId, textOf(h.message as OutboundMessage)?.startsWith('⚠️ $912.40')])).toEqual([[ID, true]]);
    expect(calls.notify).toEqual([]);
  });

  it('holds the alert, sending nothing, without a notice template (the fraud template would carry the figures)', async () => {
    const { deps, calls } = fakes({ mode: 'private', lastInboundAt: OUT_OF_WINDOW, templates: { fraud: templates.fraud } });

    expect(await raiseAlert(consent, [fraud], deps)).toBe('held');
    expect([calls.utility, calls.notify, calls.held.length]).toEqual([[], [], 1]);
  });

  it('sends the figures in the fraud template to a person who chose Messenger (the same check finds them)', async () => {
    const { deps, calls } = fakes({ mode: 'messenger', lastInboundAt: OUT_OF_WINDOW, templates });

    expect(await raiseAlert(consent, [fraud], deps)).toBe('sent');
    expect(figuresIn(calls.utility)).toEqual(FIGURES);
  });
});

describe('a held alert, delivered with the person’s next message', () => {
  async function heldAlert(): Promise<HeldAlert> {
    const { deps, calls } = fakes({ mode: 'private' });
    await raiseAlert(consent, [fraud], deps);
    const [held] = calls.held;
    return { sk: `HELD#i-1#${NOW.toISOString()}#${ID}`, alertId: held!.alertId, message: held!.message } as unknown as HeldAlert;
  }

  async function deliver(mode: Presentation) {
    const held = await heldAlert();
    const { presenter, kept } = fakes({ mode });
    const sent: OutboundMessage[][] = [];
    const dropped: string[] = [];
    const delivered = await deliverHeldAlerts('p-1', {
      inbox: { held: async () => [held], dropHeld: async (_psid, sk) => void dropped.push(sk) },
      notify: async (_p, _k, messages) => (sent.push(messages), 'sent'),
      present: (psid, message, alertId) => presentHeld(psid, message, alertId, { presenter, language: async () => 'en' }),
      log: silentLog,
    });
    return { delivered, sent, kept, dropped, held };
  }

  it('is presented privately, then, in private mode: the ready line, the page, its answers', async () => {
    const { delivered, sent, kept, dropped, held } = await deliver('private');

    expect(delivered).toBe(1);
    expect(textOf(sent[0]?.[0])).toBe('A card payment needs your review.');
    expect(buttonsOf(sent[0]?.[0])).toHaveLength(1);
    expect(sent[0]?.[0]?.quick_replies?.map((q) => q.payload)).toEqual([`FRAUD_YES:${ID}`, `FRAUD_NO:${ID}`]);
    expect(figuresIn(sent)).toEqual([]);
    expect(kept).toMatchObject([{ kind: 'alert-fraud', alertId: ID, lines: [expect.stringContaining('$912.40 at ELECTRO-WORLD'), expect.any(String), 'Was this you?'] }]);
    expect(dropped).toEqual([held.sk]);
  });

  it('goes as it was held to a person who chose Messenger since', async () => {
    const { sent, kept, held } = await deliver('messenger');

    expect(sent).toEqual([[held.message]]);
    expect(figuresIn(sent)).toEqual(FIGURES);
    expect(kept).toEqual([]);
  });
});
