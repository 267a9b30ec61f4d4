import { describe, expect, it } from 'vitest';
import { reasonText, type AlertLanguage } from '../../../lib/alerts/reasons';
import { evaluateBalances, evaluateTransactions, type AlertReason } from '../../../lib/alerts/rules';
import { lowBalance, transactionScenarios } from '../../fixtures/alerts/scenarios';

/**
 * The reasons as a Spanish speaker reads them, each the short "why" of its alert (the amount and
 * merchant are said once, before); rules.test.ts holds the English ones. Intl puts a no-break space
 * (U+00A0) between a currency code and the number.
 */
const ES: AlertLanguage = { lang: 'es', locale: 'es-US', timeZone: 'America/New_York' };
const EN: AlertLanguage = { lang: 'en', locale: 'en-US', timeZone: 'America/New_York' };

const SPANISH: Record<string, string> = {
  'unusual-amount': '9 veces tu gasto habitual en electrónica',
  'new-merchant-high-amount': 'primer pago en este comercio en 90 días',
  'foreign-transaction': 'cobrado en el extranjero, en México',
  'rapid-succession': '4 cargos aquí en 5 minutos',
  'large-transaction': 'supera tu alerta de $1,000',
  'low-balance': 'El saldo disponible de tu cuenta Everyday Checking es $35.00, por debajo de los $100.00 que fijaste para las alertas de saldo bajo.',
};

describe('alert reasons in Spanish', () => {
  it.each(transactionScenarios.map((make) => [make().rule, make] as const))('%s', (rule, make) => {
    const alerts = evaluateTransactions(make());

    expect(alerts.map((a) => reasonText(a.reason, ES))).toEqual([SPANISH[rule]]);
  });

  it('low-balance', () => {
    expect(evaluateBalances(lowBalance()).map((a) => reasonText(a.reason, ES))).toEqual([SPANISH['low-balance']]);
  });

  it('writes money in the locale configured for the language', () => {
    const reason: AlertReason = { type: 'large-transaction', amount: 1200, currency: 'EUR', threshold: 1000.5, exact: false, isDefault: false };
    const whole: AlertReason = { ...reason, threshold: 1000, isDefault: true };

    expect(reasonText(reason, { lang: 'es', locale: 'es-ES' })).toBe('supera tu alerta de 1000,50\u00a0€');
    expect(reasonText(whole, { lang: 'es', locale: 'es-ES' })).toBe('supera la alerta predeterminada de 1000\u00a0€');
  });

  it('names a charge in another currency, and a burst on one day, in Spanish', () => {
    const foreign: AlertReason = { type: 'foreign-currency', amount: 45, currency: 'EUR', payee: { name: 'Le Petit Café', paidTo: false }, usualCurrency: 'USD' };
    const burst: AlertReason = { type: 'rapid-succession', charges: 4, currency: 'USD', total: 5.5, payee: { name: 'Gift Card Hub', paidTo: false }, date: '2025-04-01' };

    expect(reasonText(foreign, ES)).toBe('cobrado en EUR, no en USD como siempre');
    expect(reasonText(burst, ES)).toBe('4 cargos aquí el 1 abr, $5.50 en total');
  });

  it('says "this kind of purchase" for a category it has no Spanish word for, rather than show the code', () => {
    const reason: AlertReason = { type: 'unusual-amount', amount: 600, currency: 'USD', times: 6, usual: 100, category: 'GENERAL_SERVICES_STORAGE', primaryCategory: 'GENERAL_SERVICES' };
    const other: AlertReason = { ...reason, category: 'ENTERTAINMENT_OTHER_ENTERTAINMENT', primaryCategory: 'ENTERTAINMENT' };

    expect(reasonText(reason, ES)).toBe('6 veces tu gasto habitual en este tipo de compra');
    expect(reasonText(other, ES)).toBe('6 veces tu gasto habitual en entretenimiento');
    expect(reasonText(reason, EN)).toBe('6× your usual spend on storage');
  });

  it('has words for an account or country it could not name', () => {
    const balance: AlertReason = { type: 'low-balance', balance: 80, currency: 'USD', threshold: 100, available: false, account: '' };
    const abroad: AlertReason = { type: 'foreign-country', amount: 30, currency: 'USD', country: '', homeCountry: 'US' };

    expect([reasonText(balance, EN), reasonText(balance, ES)]).toEqual([
      'Your account balance is $80.00, below the $100.00 you set for low-balance alerts.',
      'El saldo de tu cuenta es $80.00, por debajo de los $100.00 que fijaste para las alertas de saldo bajo.',
    ]);
    expect([reasonText(abroad, ES), reasonText(abroad, EN)]).toEqual(['cobrado en el extranjero', 'charged abroad']);
  });
});
