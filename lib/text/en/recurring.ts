import type { RecurringWords } from '../recurring';

const s = (n: number) => (n === 1 ? '' : 's');
const HELD = 'in the last 90 days of your accounts';

/** The answers about recurring payments, in English. */
export const recurring: RecurringWords = {
  titles: { upcomingBills: 'Upcoming bills', subscriptions: 'My subscriptions' },
  every: { weekly: 'a week', biweekly: 'every 2 weeks', 'semi-monthly': 'twice a month', monthly: 'a month', annually: 'a year' },
  inDays: (days) => (days === 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`),
  subscriptions: {
    head: (n, perMonth, approximate) => `You have ${n} subscription${s(n)}, ${approximate ? 'about ' : ''}${perMonth} a month${n > 1 ? ' in all' : ''}:`,
    line: (payee, amount, every, perMonth, next) => `• ${payee}: ${amount}${every ? ` ${every}` : ''}${perMonth ? ` (about ${perMonth} a month)` : ''}${next ? `, next ${next}` : ''}`,
    none: `I don't see any subscriptions ${HELD}.`,
    noneFor: (what) => `I don't see a subscription for ${what} ${HELD}.`,
  },
  bills: {
    nextDays: (n) => `in the next ${n} days`,
    today: 'today',
    thisWeek: 'this week',
    restOfMonth: 'by the end of the month',
    inMonth: (month) => `in ${month}`,
    head: (n, when, total) => (n === 1 ? `1 bill due ${when}:` : `${n} bills due ${when}, ${total} in all:`),
    line: (date, payee, amount) => `• ${date} ${payee}: ${amount}`,
    short: (account, balance) => `  ${account} has ${balance}, less than this.`,
    noneWithin: (when) => `No bills due ${when}.`,
    nextAfter: (payee, amount, date) => `The next: ${payee}, ${amount} on ${date}.`,
    none: `I don't see any regular bills ${HELD}.`,
    noneFor: (what) => `I don't see a regular payment for ${what} ${HELD}.`,
    due: (payee, amount, date, inDays) => `${payee}: ${amount} due ${date} (${inDays}).`,
    late: (payee, amount, date) => `${payee}: ${amount} was expected on ${date}; I don't see it paid yet.`,
    undated: (payee, amount, last) => `${payee}: ${amount}, last paid on ${last}; your bank doesn't say when the next one is due.`,
  },
  income: {
    paidWithin: (when) => `Yes, pay came in ${when}.`,
    notPaidWithin: (when) => `I don't see pay ${when}.`,
    last: (payer, amount, date) => `Your last pay, ${amount} from ${payer}, came in on ${date}.`,
    next: (date, inDays) => `The next is expected on ${date} (${inDays}).`,
    nextLate: (date) => `The next was expected on ${date}; I don't see it yet.`,
    head: 'Your pay:',
    line: (payer, amount, date, next) => `• ${payer}: ${amount} on ${date}${next ? `, next expected ${next}` : ''}`,
    lineLate: (payer, amount, date, expected) => `• ${payer}: ${amount} on ${date}; the next was expected ${expected} and I don't see it yet`,
    none: "I don't see regular pay coming into your accounts in the last 90 days.",
  },
};
