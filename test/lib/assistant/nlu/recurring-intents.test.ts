import { describe, expect, it } from 'vitest';
import { understand, type Slots } from '../../../../lib/assistant/nlu/understand';

/**
 * Subscriptions, bills and pay, read like every other question (the trained classifier, the
 * deterministic slots), in English and Spanish; and the questions beside them that keep their own
 * reading: a charge looked for, a total spent, a request to pay.
 */
const reads = (text: string, intent: string, slots: Slots = {}) => {
  const u = understand(text);
  expect(u.unsure, `asked about ${text}`).toBeUndefined();
  expect({ intent: u.intent, slots: u.slots }).toEqual({ intent, slots });
};

describe('subscriptions', () => {
  it.each([
    ['what subscriptions do I have?', {}],
    ['how much do I pay for subscriptions a month?', {}],
    ['what am I subscribed to', {}],
    ['show me my recurring charges', {}],
    ['how much is netflix a month', { merchant: 'netflix' }],
    ['¿qué suscripciones tengo?', {}],
    ['¿cuánto pago de suscripciones al mes?', {}],
    ['¿qué me cobran cada mes?', {}],
    ['¿a qué estoy suscrita?', {}],
    ['¿sigo pagando spotify?', { merchant: 'spotify' }],
  ] as const)('reads %j as subscriptions %j', (text, slots) => reads(text, 'subscriptions', slots));
});

describe('bills', () => {
  it.each([
    ['what bills are coming up this week?', { period: 'this-week' }],
    ['when is rent due?', { category: 'rent' }],
    ["what's due this week", { period: 'this-week' }],
    ['upcoming bills', {}],
    ['what bills are due', {}],
    ['when is my phone bill due', { category: 'utilities' }],
    ['¿cuándo vence la renta?', { category: 'rent' }],
    ['¿cuándo vence el alquiler?', { category: 'rent' }],
    ['¿cuándo vence el arriendo?', { category: 'rent' }],
    ['¿qué recibos vencen esta semana?', { period: 'this-week' }],
    ['¿cuándo tengo que pagar la renta?', { category: 'rent' }],
  ] as const)('reads %j as bills %j', (text, slots) => reads(text, 'bills', slots));
});

describe('pay', () => {
  it.each([
    ['did my paycheck come in?', {}],
    ['when do I get paid', {}],
    ['has my direct deposit hit yet', {}],
    ['did I get paid this week', { period: 'this-week' }],
    ['¿ya me cayó la quincena?', {}],
    ['¿ya me depositaron el sueldo?', {}],
    ['¿cuándo me pagan?', {}],
    ['¿ya cobré la nómina?', {}],
  ] as const)('reads %j as income %j', (text, slots) => reads(text, 'income', slots));
});

describe('the questions beside them keep their reading', () => {
  it.each([
    ['did netflix charge me', 'search', { merchant: 'netflix' }],
    ['¿ya me cobró netflix este mes?', 'search', { merchant: 'netflix', period: 'this-month' }],
    ['how much did I spend on subscriptions last month', 'spending', { period: 'last-month' }],
    ['how much did I spend on bills this month', 'spending', { category: 'utilities', period: 'this-month' }],
    ['¿cuánto pagué de renta el año pasado?', 'spending', { category: 'rent', period: 'last-year' }],
    ['pay my rent', 'bank-only', {}],
    ['paga el recibo de la luz', 'bank-only', {}],
    ['¿cuándo se vence el permiso que te di?', 'what-shared', {}],
  ] as const)('reads %j as %s %j', (text, intent, slots) => reads(text, intent, slots));
});
