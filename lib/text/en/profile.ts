import type { ProfileWords } from '../profile';

/** The Messenger profile, in English (the default locale). */
export const profile: ProfileWords = {
  greeting: (brand) => `Hi {{user_first_name}}! I'm ${brand}'s assistant: balances, spending and alerts, only with your permission. Never for ads.`,
  breakers: { balance: "What's my balance?", spending: 'What did I spend this month?', dataPolicy: 'How is my data used?', talkToPerson: 'Talk to a person' },
  menu: {
    balance: 'Balance',
    spending: 'Spending this month',
    recentTransactions: 'Recent transactions',
    alertSettings: 'Alert settings',
    whatIShare: 'What I share',
    talkToPerson: 'Talk to a person',
  },
};
