import type { ProfileWords } from '../profile';

/** The Messenger profile, in Spanish (es_LA and es_ES). */
export const profile: ProfileWords = {
  greeting: (brand) => `¡Hola {{user_first_name}}! Soy el asistente de ${brand}: saldos, gastos y alertas, solo con tu permiso. Nunca para anuncios.`,
  breakers: { balance: '¿Cuál es mi saldo?', spending: '¿Cuánto gasté este mes?', dataPolicy: '¿Cómo usan mis datos?', talkToPerson: 'Hablar con una persona' },
  menu: {
    balance: 'Saldo',
    spending: 'Gastos del mes',
    recentTransactions: 'Movimientos recientes',
    alertSettings: 'Mis alertas',
    whatIShare: 'Qué comparto',
    talkToPerson: 'Hablar con una persona',
  },
};
