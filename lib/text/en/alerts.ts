import type { AlertWords } from '../alerts';

/** The alerts, in English. */
export const alerts: AlertWords = {
  wasThisYou: 'Was this you?',
  itWasMe: 'Yes, it was me',
  notMe: 'No, it wasn’t me',
  why: 'Why:',
  largeTransaction: 'Large transaction:',
  reasons: {
    unusualAmount: (times, category) => `${times}× your usual spend on ${category}`,
    newMerchant: (toPayee, days) => `first payment ${toPayee ? 'to this payee' : 'at this merchant'} in ${days} days`,
    chargedAbroad: (country) => (country === undefined ? 'charged abroad' : `charged abroad, in ${country}`),
    foreignCurrency: (currency, usual) => `charged in ${currency || 'another currency'}${usual ? `, not ${usual} as usual` : ''}`,
    rapidSuccession: (charges, here, span, total) => `${charges} charges ${here ? 'here ' : ''}${span}${total ? `, ${total} in all` : ''}`,
    onDate: (date) => `on ${date}`,
    inMinutes: (count, minutes) => `in ${count} ${minutes === 1 ? 'minute' : 'minutes'}`,
    largeTransaction: (exact, isDefault, threshold) => `${exact ? 'reaches' : 'over'} ${isDefault ? `the default ${threshold} alert` : `your ${threshold} alert`}`,
    lowBalance: (account, available, balance, threshold) =>
      `Your ${account || 'account'} ${available ? 'available balance' : 'balance'} is ${balance}, below the ${threshold} you set for low-balance alerts.`,
  },
  insights: {
    priceUp: (name, before, after, since) => `📈 ${name} went from ${before} to ${after} (since ${since}).`,
    priceUpWhy: 'the price of this subscription went up.',
    newRecurring: (name, amount, frequency, since) => `🆕 New recurring charge: ${amount} to ${name}, ${frequency}, since ${since}.`,
    newRecurringWhy: 'a payment that repeats began recently, for example after a free trial ended.',
    doubleCharge: (paid, date, account) => `👯 ${paid}, twice on ${date}${account ? ` · ${account}` : ''}.`,
    doubleChargeWhy: 'same amount at the same merchant twice in one day.',
    billDueLow: (name, usual, due, account, balance) => `📅 ${name} (usually ${usual}) is due ${due}; your ${account || 'account'} holds ${balance}.`,
    billDueLowWhy: 'the account this bill is usually paid from holds less than it usually takes.',
    frequencies: { weekly: 'weekly', biweekly: 'every two weeks', 'semi-monthly': 'twice a month', monthly: 'monthly', annually: 'yearly', unknown: 'repeating' },
  },
  paidWord: (toPayee) => (toPayee ? 'to' : 'at'),
  categories: { FOOD_AND_DRINK_RESTAURANT: 'restaurants', FOOD_AND_DRINK_FAST_FOOD: 'fast food' },
  readsCategoryCodes: true,
  anyCategory: 'this kind of purchase',
  notMeSteps: {
    lead: 'Thank you for telling me. I have noted that you did not make this payment.',
    lock: (url) => (url ? `Lock your card now: ${url}` : 'Lock your card now in your bank’s app.'),
    call: (phone) => (phone ? `Then call your bank’s fraud line, open 24/7: ${phone}.` : 'Then call the fraud number on the back of your card.'),
  },
  titles: { lockMyCard: 'Lock my card', help: 'Help', turnTheseOff: 'Turn these off' },
  itWasMeThanks: 'Thanks, noted: no action needed.',
  unknownAlert: 'I could not find that alert. If a payment looks wrong, call your bank.',
};
