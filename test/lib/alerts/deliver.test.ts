import { describe, expect, it } from 'vitest';
import { alertIdOf, raiseAlert, type RaiseDeps } from '../../../lib/alerts/deliver';
import type { Alert } from '../../../lib/alerts/rules';
import { consent, fraud, IN_WINDOW, large, NOW, raiseDepsFake } from '../../support/alerts';

const lowBalance: Alert = {
  rule: 'low-balance',
  kind: 'low-balance',
  accountId: 'a-1',
  dedupeKey: 'low-balance:a-1:2026-11-21',
  reason: { type: 'low-balance', balance: 35, currency: 'USD', threshold: 100, available: true, account: 'Everyday Checking' },
  amount: 35,
  currency: 'USD',
  date: '2026-11-21',
};

function fakes(
  options: {
    lastInboundAt?: number;
    templates?: RaiseDeps['templates'];
    utility?: 'sent' | 'undeliverable';
    recorded?: Set<string>;
    language?: () => Promise<'en' | 'es' | undefined>;
    defaultLanguage?: 'en' | 'es';
  } = {},
) {
  const recorded = options.recorded ?? new Set<string>();
  const calls = { held: [] as unknown[], languageReads: 0 };
  const { deps, sent } = raiseDepsFake(options, {
    financial: {
      async recordAlert(_c, record) {
        if (recorded.has(record.dedupeKey)) return 'duplicate';
        recorded.add(record.dedupeKey);
        return 'new';
      },
      async holdAlert(_c, held) {
        calls.held.push(held.message);
      },
    },
    language: async () => {
      calls.languageReads++;
      return options.language ? options.language() : 'en';
    },
  });
  return { deps, calls: Object.assign(calls, sent) };
}

describe('raising an alert', () => {
  it('sends at once inside the 24-hour window', async () => {
    const { deps, calls } = fakes({ lastInboundAt: IN_WINDOW });

    expect(await raiseAlert(consent, [fraud], deps)).toBe('sent');
    expect(calls.notify).toEqual([
      [
        {
          text: '⚠️ $912.40 at ELECTRO-WORLD · Everyday Checking · Nov 21, 6:55 AM ET\nWhy: first payment at this merchant in 90 days\nWas this you?',
          quick_replies: [
            { content_type: 'text', title: 'Yes, it was me', payload: `FRAUD_YES:${alertIdOf(fraud.dedupeKey)}` },
            { content_type: 'text', title: 'No, it wasn’t me', payload: `FRAUD_NO:${alertIdOf(fraud.dedupeKey)}` },
          ],
        },
      ],
    ]);
    expect([calls.utility, calls.held]).toEqual([[], []]);
  });

  it('outside the window, sends the configured utility template with the alert text and yes/no buttons', async () => {
    const { deps, calls } = fakes({ lastInboundAt: NOW.getTime() - 25 * 3_600_000, templates: { fraud: { name: 'bank_fraud_check', language: 'en_US' } } });

    expect(await raiseAlert(consent, [fraud, large], deps)).toBe('sent');

    const id = alertIdOf(fraud.dedupeKey);
    expect(calls.utility).toEqual([
      {
        template: {
          name: 'bank_fraud_check',
          language: { code: 'en_US' },
          components: [
            {
              type: 'body',
              parameters: [
                {
                  type: 'text',
                  text: '$912.40 at ELECTRO-WORLD · Everyday Checking · Nov 21, 6:55 AM ET. Why: first payment at this merchant in 90 days · over the default $500 alert',
                },
              ],
            },
            { type: 'buttons', parameters: [{ type: 'POSTBACK', payload: `FRAUD_YES:${id}` }, { type: 'POSTBACK', payload: `FRAUD_NO:${id}` }] },
          ],
        },
      },
    ]);
    expect([calls.notify, calls.held]).toEqual([[], []]);
  });

  it('uses the notice template, without buttons, for an alert that is not about fraud', async () => {
    const { deps, calls } = fakes({ templates: { fraud: { name: 'f', language: 'en_US' }, notice: { name: 'bank_notice', language: 'es_ES' } } });

    await raiseAlert(consent, [large], deps);

    expect(calls.utility[0]?.template).toMatchObject({ name: 'bank_notice', language: { code: 'es_ES' }, components: [{ type: 'body' }] });
    expect(calls.utility[0]?.template.components).toHaveLength(1);
  });

  it('holds the alert outside the window when no template fits', async () => {
    const { deps, calls } = fakes({ templates: { notice: { name: 'bank_notice', language: 'en_US' } } });

    expect(await raiseAlert(consent, [fraud], deps)).toBe('held');
    expect([calls.notify, calls.utility, calls.held.length]).toEqual([[], [], 1]);
  });

  it('holds the alert when the utility message cannot be delivered', async () => {
    const { deps, calls } = fakes({ templates: { fraud: { name: 'f', language: 'en_US' } }, utility: 'undeliverable' });

    expect(await raiseAlert(consent, [fraud], deps)).toBe('held');
    expect(calls.held).toHaveLength(1);
  });

  it('raises a transaction and rule once, ever, and reads nothing more for a duplicate', async () => {
    const recorded = new Set<string>();
    const first = fakes({ lastInboundAt: NOW.getTime(), recorded });
    const second = fakes({ lastInboundAt: NOW.getTime(), recorded });

    await raiseAlert(consent, [fraud], first.deps);
    expect(await raiseAlert(consent, [fraud], second.deps)).toBe('duplicate');
    expect(second.calls.notify).toEqual([]);
    expect([first.calls.languageReads, second.calls.languageReads]).toEqual([1, 0]);
  });
});

describe('raising an alert in the person’s language', () => {
  const id = alertIdOf(fraud.dedupeKey);

  it('asks "was this you?" in Spanish, with quick replies that fit Messenger’s 20 characters', async () => {
    const { deps, calls } = fakes({ lastInboundAt: IN_WINDOW, language: async () => 'es' });

    await raiseAlert(consent, [fraud, large], deps);

    expect(calls.notify).toEqual([
      [
        {
          text:
            '⚠️ $912.40 en ELECTRO-WORLD · Everyday Checking · 21 nov, 6:55 a. m. ET\n' +
            'Por qué: primer pago en este comercio en 90 días · supera la alerta predeterminada de $500\n¿Fuiste tú?',
          quick_replies: [
            { content_type: 'text', title: 'Sí, fui yo', payload: `FRAUD_YES:${id}` },
            { content_type: 'text', title: 'No, no fui yo', payload: `FRAUD_NO:${id}` },
          ],
        },
      ],
    ]);
  });

  it('tells of a large transaction in Spanish, without a question', async () => {
    const { deps, calls } = fakes({ lastInboundAt: IN_WINDOW, language: async () => 'es' });

    await raiseAlert(consent, [large], deps);

    expect(calls.notify).toEqual([[{ text: 'Movimiento grande: $912.40 en ELECTRO-WORLD · Everyday Checking · 21 nov, 6:55 a. m. ET\nPor qué: supera la alerta predeterminada de $500' }]]);
  });

  it('tells of a low balance in Spanish', async () => {
    const { deps, calls } = fakes({ lastInboundAt: IN_WINDOW, language: async () => 'es' });

    await raiseAlert(consent, [lowBalance], deps);

    expect(calls.notify).toEqual([[{ text: 'El saldo disponible de tu cuenta Everyday Checking es $35.00, por debajo de los $100.00 que fijaste para las alertas de saldo bajo.' }]]);
  });

  it('writes a held alert in the person’s language, as it will be delivered', async () => {
    const { deps, calls } = fakes({ language: async () => 'es' });

    expect(await raiseAlert(consent, [lowBalance], deps)).toBe('held');
    expect(calls.held).toEqual([{ text: expect.stringMatching(/^El saldo disponible de tu cuenta Everyday Checking es \$35\.00/) }]);
  });

  it('writes the utility template’s text in Spanish, under the template language the deployment configured', async () => {
    const { deps, calls } = fakes({ templates: { fraud: { name: 'bank_fraud_check', language: 'en_US' } }, language: async () => 'es' });

    await raiseAlert(consent, [fraud], deps);

    expect(calls.utility[0]?.template.language).toEqual({ code: 'en_US' });
    expect(calls.utility[0]?.template.components[0]).toEqual({
      type: 'body',
      parameters: [{ type: 'text', text: '$912.40 en ELECTRO-WORLD · Everyday Checking · 21 nov, 6:55 a. m. ET. Por qué: primer pago en este comercio en 90 días' }],
    });
  });

  it('uses the deployment’s language when the person’s is not known', async () => {
    const { deps, calls } = fakes({ lastInboundAt: IN_WINDOW, language: async () => undefined, defaultLanguage: 'es' });

    await raiseAlert(consent, [large], deps);

    expect(calls.notify).toEqual([[{ text: expect.stringMatching(/^Movimiento grande: /) }]]);
  });

  it('still sends the alert, in the deployment’s language, when the person’s cannot be read', async () => {
    const { deps, calls } = fakes({ lastInboundAt: IN_WINDOW, language: () => Promise.reject(new Error('throttled')) });

    expect(await raiseAlert(consent, [large], deps)).toBe('sent');
    expect(calls.notify).toEqual([[{ text: expect.stringMatching(/^Large transaction: \$912\.40 at ELECTRO-WORLD · .*\nWhy: over the default \$500 alert$/) }]]);
  });
});
