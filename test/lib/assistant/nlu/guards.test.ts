import { describe, expect, it } from 'vitest';
import { guard } from '../../../../lib/assistant/nlu/guards';
import { readWords } from '../../../../lib/assistant/nlu/reading';
import { understand } from '../../../../lib/assistant/nlu/understand';

/** The guard's reading of words as a message would be read: typed, then spelling-corrected. */
const guarded = (text: string) => {
  const { typed, corrected } = readWords(text);
  return guard(typed, corrected);
};

describe('safety guards', () => {
  it.each([
    'the atm just ate my card',
    'el cajero se tragó mi tarjeta',
    'got a text from "my bank", clicked it and typed in my card number',
    'di los datos de mi tarjeta en un link falso',
    'my phone got stolen and apple pay is on it',
    'me robaron el celular y tiene mis tarjetas',
    'they charged me twice for the same coffee',
    'me cobraron dos veces la misma compra en el oxxo',
    "there's a $89.99 charge from some company i've never heard of",
    'hay un cobro de una empresa que nunca he oído',
    'se me cayó la tarjeta en el mercado',
    'hoy me doy cuenta de que ya no la tengo, la tarjeta',
    'my wallet must have fallen out at the game, card and all, anyway whats my balance',
    'this morning my wallet is just gone and my visa was in it',
    'me volaron la billetera en el subte',
    'me bajaron la billetera en el bus y ahí andaba la tarjeta',
    'someone nicked my purse with my cards in it',
    'dejé la tarjeta en el cajero y cuando volví ya no estaba',
    'left my card at the bar last night, worried',
    'creo que me skimmearon la tarjeta en el cajero',
    'i got pickpocketed on the train, cards were in my phone case',
    'someone in another state used my card to buy stuff',
    'alguien en otra ciudad usó mi tarjeta',
    'usaron mi tarjeta en brasil y nunca he salido del perú',
    "wallet's gone, checked the car twice",
    "the cashpoint's just swallowed my debit card",
    'my card was in my jacket and someone grabbed it at the party',
    'they charged me twice at target',
    'cuando llegué a la casa ya no tenía la billetera, ahí tenía las tarjetas',
    'no encontraba mi tarjeta por ningún lado',
  ])('answers %j with the bank’s card steps', (text) => {
    expect(guarded(text)).toBe('card-emergency');
  });

  it.each([
    'i need to change my pin',
    'quiero cambiar el nip de mi tarjeta',
    'need a replacement debit card, the chip is worn out',
    'necesito una tarjeta nueva porque la mía ya vence',
    'can i order a new checkbook',
    'necesito pedir una chequera',
    'le debo 40 a mi roommate, mándaselos por cash app',
    'pásale 200 por bizum a mi hermano',
    'what is my datacredito score',
    'how do i get my credit history',
    'bótale 20 a mi primo por ath móvil',
    'yapéale 50 a mi tía',
    'pay my rent',
    'can you pay my rent when it is due',
    'paga la renta',
    'quiero sacar una hipoteca para un piso',
    'necesito pagar la renta, ¿cuánto tengo en la cuenta?',
    'just need to send a fiver to my mate',
    'venmo jake 20 for the pizza',
    'mano tírame 40 por ath móvil a mi jeva',
    'recárgame 100 de saldo al cel',
    'can you just pay it from my checking',
    '¿me la puedes pagar desde la cuenta de ahorros?',
  ])('answers %j with what only the bank does', (text) => {
    expect(guarded(text)).toBe('bank-only');
  });

  it.each([
    'i never heard of that song',
    'can i afford to pay the phone bill this month?',
    'how much did i send on venmo last month',
    'se cayó nequi o qué',
    'my card works fine, what did i spend this week',
    'I dropped $50 on my card at target',
    'the money is gone already, how much did i spend on my card',
    // Asking for the fraud alert is not reporting a fraud; ads for loans are not a loan.
    'alert me if someone uses my card',
    'quiero que me avisen si alguien usa mi tarjeta sin permiso',
    'am i going to see ads for loans now',
    // When a payment falls due is a question, not a request to pay it.
    'when do i have to pay rent',
    '¿cuándo tengo que pagar la renta?',
    '¿cuándo hay que pagar la luz?',
    'how much did i pay on my mortgage last month',
  ])('leaves %j to the classifier', (text) => {
    expect(guarded(text)).toBeUndefined();
  });

  it.each([
    'nope, never bought anything from there',
    'nunca he comprado nada ahí',
    'ese cobro no me suena de nada',
  ])('reads %j as the answer to a fraud alert: not me', (text) => {
    expect(guarded(text)).toBe('not-me');
  });
});

describe('requests ruled out and stories told around a question', () => {
  it.each([
    ["I'm not trying to dispute anything, I just want the total I spent on gas this month", 'spending'],
    ['no quiero desconectar nada, solo quiero saber si esto es seguro', 'data-policy'],
    ["I don't want to link anything new, I just want to know my balance", 'balance'],
    ["list my debit card transactions from yesterday, I'm not disputing anything", 'transactions'],
    ['my brother took out a loan last year and now he is broke. anyway, how much is in my checking?', 'balance'],
    ["I'm not trying to dispute anything, I just want to see my transactions", 'transactions'],
  ] as const)('reads %j as %s', (text, intent) => {
    expect(understand(text).intent).toBe(intent);
  });

  it.each([
    // A request for the bank's service keeps its guard, whatever else the message asks.
    ["I need to pay my credit card. how much do I owe?", 'bank-only'],
    // An emergency anywhere in a story wins.
    ['I lost my card yesterday. how much is in my checking?', 'card-emergency'],
    // Sharing less is a change of what is shared, not a question about the rest.
    ["I don't want to share my transactions anymore, only balances", 'change-scopes'],
  ] as const)('still reads %j as %s', (text, intent) => {
    expect(understand(text).intent).toBe(intent);
  });
});

describe('answers to a fraud alert, and what is not one', () => {
  it.each([
    ['nope never been to that shop in my life', 'not-me'],
    ['nunca he estado en esa tienda en mi vida', 'not-me'],
    ['I did not authorize that purchase', 'not-me'],
    ['Esa no la hice yo.', 'not-me'],
    ["recognise it, it's my gym membership", 'it-was-me'],
    ['sí, la reconozco', 'it-was-me'],
    ["that's my husband, he has the other card, it's fine", 'it-was-me'],
    ['fue mi esposo, él tiene la otra tarjeta', 'it-was-me'],
    // Not answers: a stolen card told with the same words, a charge not recognised, a story.
    ['it was my son who stole my card', 'card-emergency'],
    ["i don't recognise that charge", 'card-emergency'],
    ["there's a $487 charge at best buy and i've never even been in there", 'card-emergency'],
  ])('reads %j as %s', (text, intent) => {
    expect(understand(text).intent).toBe(intent);
  });

  it('checks a doubted double charge when asked to look, and keeps a told one an emergency', () => {
    expect(understand("not sure if the pump charged me twice yesterday, can you pull up my gas purchases from yesterday?").intent).toBe('search');
    expect(understand('no sé si me cobraron dos veces el taxi, ¿puedes buscar los pagos de transporte de ayer?').intent).toBe('search');
    expect(understand('the pump charged me twice yesterday').intent).toBe('card-emergency');
  });

  it('leaves a bill the person asks the bot to pay with the bank, whatever else the message asks', () => {
    const text = "My internet bill is overdue and I'm at work. Can you just pay it from my checking? It's like 89 dollars. Also what's my balance after?";
    expect(understand(text).intent).toBe('bank-only');
  });
});

describe('worries, wishes and replies that only sound like emergencies or requests', () => {
  it.each([
    ['is this thing actually secure or am i gonna get hacked lol', 'data-policy'],
    ['quiero saber si alguien usa mi tarjeta raro, prende las alertas de fraude porfa', 'alerts-fraud'],
    ['A una compañera del trabajo le clonaron la tarjeta y me quedé con el susto. ¿Me prendes las alertas de fraude?', 'alerts-fraud'],
    ['nah forget it', 'no'],
    ['dale, hacelo', 'yes'],
    // Told as having happened, they stay emergencies.
    ['my account got hacked', 'card-emergency'],
    // A partner's card is often on the person's own account.
    ['my husband had his card stolen yesterday. can you show me my recent transactions?', 'card-emergency'],
    ['alguien usa mi tarjeta', 'card-emergency'],
  ])('reads %j as %s', (text, intent) => {
    expect(understand(text).intent).toBe(intent);
  });
});
