import { describe, expect, it } from 'vitest';
import { reasonText, type AlertLanguage } from '../../../lib/alerts/reasons';
import { evaluateBalances, evaluateTransactions, type AlertReason } from '../../../lib/alerts/rules';
import { lowBalance, transactionScenarios } from '../../fixtures/alerts/scenarios';

/** The reasons as a Spanish speaker reads them; rules.test.ts holds the English ones. Intl puts a no-break space (U+00A0) between a currency code and the number. */
const ES: AlertLanguage = { lang: 'es', locale: 'es-US' };
const EN: AlertLanguage = { lang: 'en', locale: 'en-US' };

const SPANISH: Record<string, string> = {
  'unusual-amount': '$912.40 en Best Buy es 9 veces lo que sueles gastar en electrónica (unos $100.00).',
  'new-merchant-high-amount': '$280.00 en ELECTRO-WORLD es tu primer pago ahí en los últimos 90 días, y por un monto alto.',
  'foreign-transaction': 'MXN\u00a0850.00 en OXXO se cobró en México, fuera de tu país (Estados Unidos).',
  'rapid-succession':
    '4 cargos de $1.00 en Gift Card Hub en 5 minutos. Varios cargos seguidos pueden ser señal de que alguien está probando una tarjeta robada.',
  'large-transaction': '$1,200.00 a Greenview Property Mgmt supera los $1,000.00 que fijaste para las alertas de movimientos grandes.',
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
    const reason: AlertReason = { type: 'large-transaction', amount: 1200, currency: 'EUR', threshold: 1000, exact: false };

    expect(reasonText(reason, { lang: 'es', locale: 'es-ES' })).toBe('1200,00\u00a0€ supera los 1000,00\u00a0€ que fijaste para las alertas de movimientos grandes.');
  });

  it('names a charge in another currency, and a burst on one day, in Spanish', () => {
    const foreign: AlertReason = { type: 'foreign-currency', amount: 45, currency: 'EUR', payee: { name: 'Le Petit Café', paidTo: false }, usualCurrency: 'USD' };
    const burst: AlertReason = { type: 'rapid-succession', charges: 4, currency: 'USD', total: 5.5, payee: { name: 'Gift Card Hub', paidTo: false }, date: '2025-04-01' };

    expect(reasonText(foreign, ES)).toBe('EUR\u00a045.00 en Le Petit Café se cobró en EUR, no en USD como los demás pagos de esta cuenta.');
    expect(reasonText(burst, ES)).toMatch(/^4 cargos por un total de \$5\.50 en Gift Card Hub el 1 abr\. /);
  });

  it('says "this kind of purchase" for a category it has no Spanish word for, rather than show the code', () => {
    const reason: AlertReason = { type: 'unusual-amount', amount: 600, currency: 'USD', times: 6, usual: 100, category: 'GENERAL_SERVICES_STORAGE', primaryCategory: 'GENERAL_SERVICES' };
    const other: AlertReason = { ...reason, category: 'ENTERTAINMENT_OTHER_ENTERTAINMENT', primaryCategory: 'ENTERTAINMENT' };

    expect(reasonText(reason, ES)).toBe('$600.00 es 6 veces lo que sueles gastar en este tipo de compra (unos $100.00).');
    expect(reasonText(other, ES)).toContain('lo que sueles gastar en entretenimiento');
    expect(reasonText(reason, EN)).toBe('$600.00 is 6× what you usually spend on storage (about $100.00).');
  });

  it('has words for an account or country it could not name', () => {
    const balance: AlertReason = { type: 'low-balance', balance: 80, currency: 'USD', threshold: 100, available: false, account: '' };
    const abroad: AlertReason = { type: 'foreign-country', amount: 30, currency: 'USD', country: '', homeCountry: 'US' };

    expect([reasonText(balance, EN), reasonText(balance, ES)]).toEqual([
      'Your account balance is $80.00, below the $100.00 you set for low-balance alerts.',
      'El saldo de tu cuenta es $80.00, por debajo de los $100.00 que fijaste para las alertas de saldo bajo.',
    ]);
    expect(reasonText(abroad, ES)).toBe('$30.00 se cobró en otro país, fuera de tu país (Estados Unidos).');
  });
});
