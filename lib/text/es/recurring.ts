import type { RecurringWords } from '../recurring';

const HELD = 'en los últimos 90 días de tus cuentas';

/** Las respuestas sobre pagos recurrentes, en español. */
export const recurring: RecurringWords = {
  titles: { upcomingBills: 'Próximos recibos', subscriptions: 'Mis suscripciones' },
  every: { weekly: 'a la semana', biweekly: 'cada 2 semanas', 'semi-monthly': 'dos veces al mes', monthly: 'al mes', annually: 'al año' },
  inDays: (days) => (days === 0 ? 'hoy' : days === 1 ? 'mañana' : `en ${days} días`),
  subscriptions: {
    head: (n, perMonth, approximate) => `Tienes ${n} suscripci${n === 1 ? 'ón' : 'ones'}, ${approximate ? 'unos ' : ''}${perMonth} al mes${n > 1 ? ' en total' : ''}:`,
    line: (payee, amount, every, perMonth, next) => `• ${payee}: ${amount}${every ? ` ${every}` : ''}${perMonth ? ` (unos ${perMonth} al mes)` : ''}${next ? `, el próximo el ${next}` : ''}`,
    none: `No veo suscripciones ${HELD}.`,
    noneFor: (what) => `No veo una suscripción de ${what} ${HELD}.`,
  },
  bills: {
    nextDays: (n) => `en los próximos ${n} días`,
    today: 'hoy',
    thisWeek: 'esta semana',
    restOfMonth: 'antes de fin de mes',
    inMonth: (month) => `en ${month}`,
    head: (n, when, total) => (n === 1 ? `1 pago vence ${when}:` : `${n} pagos vencen ${when}, ${total} en total:`),
    line: (date, payee, amount) => `• ${date} ${payee}: ${amount}`,
    short: (account, balance) => `  ${account} tiene ${balance}, menos que esto.`,
    noneWithin: (when) => `No vence ningún pago ${when}.`,
    nextAfter: (payee, amount, date) => `El siguiente: ${payee}, ${amount} el ${date}.`,
    none: `No veo pagos regulares ${HELD}.`,
    noneFor: (what) => `No veo un pago regular de ${what} ${HELD}.`,
    due: (payee, amount, date, inDays) => `${payee}: ${amount}, vence el ${date} (${inDays}).`,
    late: (payee, amount, date) => `${payee}: ${amount}, se esperaba el ${date}; todavía no lo veo pagado.`,
    undated: (payee, amount, last) => `${payee}: ${amount}, pagado por última vez el ${last}; tu banco no dice cuándo vence el siguiente.`,
  },
  income: {
    paidWithin: (when) => `Sí, te pagaron ${when}.`,
    notPaidWithin: (when) => `No veo ningún pago de sueldo ${when}.`,
    last: (payer, amount, date) => `Tu último pago, ${amount} de ${payer}, llegó el ${date}.`,
    next: (date, inDays) => `El siguiente se espera el ${date} (${inDays}).`,
    nextLate: (date) => `El siguiente se esperaba el ${date}; todavía no lo veo.`,
    head: 'Tu sueldo:',
    line: (payer, amount, date, next) => `• ${payer}: ${amount} el ${date}${next ? `, el siguiente se espera el ${next}` : ''}`,
    lineLate: (payer, amount, date, expected) => `• ${payer}: ${amount} el ${date}; el siguiente se esperaba el ${expected} y todavía no lo veo`,
    none: `No veo un sueldo que te llegue con regularidad ${HELD}.`,
  },
};
