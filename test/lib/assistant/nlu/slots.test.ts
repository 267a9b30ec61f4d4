import { describe, expect, it } from 'vitest';
import { understand, type Slots } from '../../../../lib/assistant/nlu/understand';

/** The slots a message is read with, when its intent is the one named. */
const reads = (text: string, intent: string, slots: Slots) => {
  const u = understand(text);
  expect({ intent: u.intent, slots: u.slots }).toEqual({ intent, slots });
};

describe('slots read the way people write them', () => {
  it.each<[string, string, Slots]>([
    ['Were there any transactions between £50 and £200 this month?', 'search', { minAmount: 50, maxAmount: 200, period: 'this-month' }],
    ['compras entre 100 y 300 del mes pasado', 'search', { minAmount: 100, maxAmount: 300, period: 'last-month' }],
    // A luca is a thousand pesos; Spanish writes thousands with a dot.
    ['compras de menos de 20 lucas este mes', 'search', { maxAmount: 20000, period: 'this-month' }],
    ['¿Podrías mostrarme las compras de más de 50.000 pesos?', 'search', { minAmount: 50000 }],
    ['how much have i spent on petrol since the 15th', 'spending', { category: 'gas', period: 'since-15' }],
    ['how much did i blow on takeaways this week', 'spending', { category: 'restaurants', period: 'this-week' }],
    ['y en el mes de abril', 'follow-up', { period: 'month-4' }],
    ['kill the low balance alert its so annoying', 'alerts-low-balance', { enabled: false }],
    // "stop" said of the spending, not of the alert: the amount is set, nothing is turned off.
    ["I'm trying hard to stop impulse buying, so alert me when anything over $200 goes through", 'alerts-large', { amount: 200 }],
    ['turn off the large purchase alert at 500', 'alerts-large', { amount: 500, enabled: false }],
    // On said after the alert, as an off would be.
    ['big purchase alerts on pls', 'alerts-large', { enabled: true }],
    ['avisos de saldo bajo activados porfa', 'alerts-low-balance', { enabled: true }],
    // Central American currencies read as money.
    ['avisame cuando la cuenta baje de 500 quetzales', 'alerts-low-balance', { amount: 500 }],
  ])('%j', (text, intent, slots) => reads(text, intent, slots));

  it('keeps cents as cents', () => {
    reads('any charges over $12.50 this week?', 'search', { minAmount: 12.5, period: 'this-week' });
  });
});

describe('where figures appear: private asked in words that also name the chat', () => {
  it.each([
    ['no me pongas las cifras en el chat que mi novia mira el móvil', true],
    ['stop showing numbers in the chat, my wife reads over my shoulder', true],
    ['no quiero que salgan las cifras en el chat', true],
    ['keep my figures private', true],
    ['show my figures here', false],
    ['turn off private mode', false],
    ['desactiva el modo privado', false],
  ] as const)('%j is private: %s', (text, enabled) => {
    reads(text, 'privacy-mode', { enabled });
  });
});
