import type { ChatWords } from '../chat';

/** "agent" is a word the assistant reads as asking for a person. */
const botLine = 'I\'m an automated assistant — say "agent" any time to talk to a person.';

/** The assistant's own words, in English. */
/** The money insights, as a sentence names them. */
const INSIGHT_NAMES = { 'price-up': 'subscription price rises', 'new-recurring': 'new recurring charges', 'double-charge': 'double charges', 'bill-due-low': 'bills due with a low balance' } as const;

export const chat: ChatWords = {
  botLine,
  welcome:
    `Hi! ${botLine}\n` +
    'Once you link your bank account — only with your ' +
    'permission, and you can stop sharing at any time — I can tell you your balances and spending ' +
    'and alert you to unusual payments. Your financial data is never used for ads, sold or shared.',
  titles: {
    balance: 'Balance',
    spendingThisMonth: 'Spending this month',
    recentTransactions: 'Recent transactions',
    alertSettings: 'Alert settings',
    linkMyBank: 'Link my bank',
    howMyDataIsUsed: 'How my data is used',
    help: 'Help',
    whatIShare: 'What I share',
    stopSharing: 'Stop sharing',
    reviewAndLink: 'Review and link',
    changeSharing: 'Change sharing',
    yes: 'Yes',
    no: 'No',
    talkToPerson: 'Talk to a person',
    lockMyCard: 'Lock my card',
    seeRecentTransactions: 'Recent transactions',
    fraudAlertsOn: 'Fraud alerts on',
    insightOn: { 'price-up': 'Price rise alerts on', 'new-recurring': 'New charge alerts on', 'double-charge': 'Double charge alerts', 'bill-due-low': 'Bill alerts on' },
    fraudAlertsOff: 'Fraud alerts off',
    lowBalanceOff: 'Low balance off',
    largeAlertsOff: 'Large alerts off',
    somethingElse: 'Something else',
  },
  help:
    'I can answer questions about your own accounts, in English or Spanish. Try:\n' +
    '• "What\'s my balance?" or "How much is in savings?"\n' +
    '• "What did I spend on groceries last month?"\n' +
    '• "How much did I pay Netflix this year?"\n' +
    '• "What subscriptions do I have?" or "When is rent due?"\n' +
    '• "Anything over $200 last week?"\n' +
    '• "Alert me if my balance drops below $100"\n' +
    '• "What am I sharing?", "Stop sharing", "Talk to a person"\n' +
    'Your bank data is only used to answer you: never for ads, never sold or shared.',
  greeting: 'Hi! What would you like to know about your money?',
  thanks: "You're welcome!",
  ok: 'OK.',
  attachment: 'I can only read text. Ask me about your balance or spending.',
  fallback:
    "Sorry, I can't help with that here. I answer questions about your balances and spending, send the alerts you choose, and show or stop what you share. I can't move money. Write \"help\" for examples.",
  needsLink:
    'To answer that I need to read your bank data, and only with your permission. See exactly what is shared, choose, and link your bank (the link works for 30 minutes).',
  missingScope: (shared, bank, missing) =>
    `You share only ${shared}${bank ? ` of ${bank}` : ''} with me, so I can't see your ${missing}. You can add them (or change anything else you share) here:`,
  scopeNames: { balances: 'balances', transactions: 'transactions', alerts: 'alerts' },
  scopeList: (names) => names.join(' and '),
  refreshing: 'Updating this from your bank now; I will send the new figures in a moment.',
  firstSync: 'I am still fetching your transactions from your bank; I will answer as soon as they arrive.',
  updated: 'Updated:',
  alertSettings: {
    title: 'Your alerts:',
    fraud: (on) => `• Fraud alerts: ${on ? 'on' : 'off'}`,
    large: (from) => `• Large transactions: ${from === null ? 'off' : `from ${from}`}`,
    low: (below) => `• Low balance: ${below === null ? 'off' : `below ${below}`}`,
    notShared: 'You do not share alerts with me yet, so none will come until you add them to what you share.',
    insights: (on) =>
      Object.values(on).every(Boolean)
        ? '• Money alerts (price rises, new recurring charges, double charges, bills with a low balance): on'
        : `• Money alerts: ${(Object.keys(INSIGHT_NAMES) as (keyof typeof INSIGHT_NAMES)[]).map((r) => `${INSIGHT_NAMES[r]} ${on[r] ? 'on' : 'off'}`).join(', ')}`,
  },
  alertAmount: {
    low: 'Below what amount should I alert you? For example: "alert me below $100".',
    large: 'From what amount should I tell you about a transaction? For example: "alert me about charges over $300".',
    invalid: 'That amount is out of range: give one between $1 and $1,000,000.',
  },
  handover: (brand) => `I'm passing you to a person at ${brand}. They will answer here; until they hand the chat back, I stay quiet.`,
  handoverUnavailable: (phone) => `I couldn't reach a person right now.${phone ? ` You can call ${phone}.` : ''} Please try again in a while.`,
  confirm: {
    fraudOn: 'Turn fraud alerts on? I will ask you about payments that look unusual.',
    fraudOff: 'Turn fraud alerts off? You won’t be told about suspicious payments.',
    large: (amount, now) => `Alert you about every transaction of ${amount} or more, from any merchant?${now !== null ? ` (Now: from ${now}.)` : ''}`,
    largeOff: 'Turn large-transaction alerts off? You won’t be told about big payments.',
    low: (amount, now) => `Alert you when a balance drops below ${amount}?${now !== null ? ` (Now: below ${now}.)` : ''}`,
    lowOff: 'Turn low-balance alerts off? You won’t be told when a balance runs low.',
    handover: (brand) => `Pass this chat to a person at ${brand}? Until they hand it back, I stay quiet.`,
    insight: (rule, on) => (on ? `Turn alerts about ${INSIGHT_NAMES[rule]} back on?` : `Stop alerts about ${INSIGHT_NAMES[rule]}? The other alerts stay as they are.`),
  },
  changed: {
    fraudOn: 'Fraud alerts are on.',
    fraudOff: 'Fraud alerts are off: I will not tell you about unusual payments.',
    done: 'Done.',
    lowOff: 'Low-balance alerts are off.',
    largeOff: 'Large-transaction alerts are off.',
    insight: (rule, on) => (on ? `Alerts about ${INSIGHT_NAMES[rule]} are on.` : `Alerts about ${INSIGHT_NAMES[rule]} are off.`),
  },
  merchantAlert: (merchant) => `I can’t set alerts for one merchant (${merchant}) yet. I can tell you about any large transaction instead.`,
  nothingChanged: 'OK, nothing changed.',
  leftAsItWas: 'I left that as it was: nothing changed.',
  expiredChange: 'That question is no longer open, so nothing changed. Ask me again if you still want it.',
  noAlertWaiting: 'Thanks. I have no alert waiting for your answer, so there is nothing to confirm, and your alert settings are unchanged.',
  cardEmergency: {
    lead: 'If your card is lost, stolen or was used without you, act now:',
    lock: (url) => (url ? `1. Lock your card: ${url}` : '1. Lock your card in your bank’s app or website.'),
    call: (phone) => (phone ? `2. Call your bank’s fraud line, open 24/7: ${phone}.` : '2. Call the fraud number on the back of your card.'),
    onlyRead: 'I only read what you share: I can’t lock cards or dispute charges here. A person can help.',
  },
  bankOnly: (phone) =>
    `I can’t pay bills or cards, send or transfer money, or look at loans or credit scores: I only read what you share. Your bank’s app or website does these${phone ? `, or call ${phone}` : ''}. A person can help too.`,
  clarify: {
    question: 'I want to get this right. Did you mean:',
    readings: {
      greeting: 'Just saying hi',
      help: 'What you can do',
      thanks: 'Just thanks',
      yes: 'Yes',
      no: 'No',
      balance: 'My balance',
      transactions: 'Recent transactions',
      spending: 'How much I spent',
      search: 'Find transactions',
      largest: 'Biggest purchases',
      subscriptions: 'My subscriptions',
      bills: 'Upcoming bills',
      income: 'My pay',
      'alerts-show': 'My alerts',
      'alerts-fraud': 'Fraud alerts',
      'alerts-low-balance': 'Low balance alert',
      'alerts-large': 'Large purchase alert',
      'what-shared': 'What I share',
      'privacy-mode': 'Where figures appear',
      'change-scopes': 'Change what I share',
      'stop-sharing': 'Stop sharing',
      'data-policy': 'How my data is used',
      'my-data': 'My data',
      export: 'Download my data',
      human: 'Talk to a person',
      'link-bank': 'Link a bank',
      'follow-up': 'Same, for that',
      'card-emergency': 'Card problem',
      'bank-only': 'Pay or move money',
      'it-was-me': 'It was me',
      'not-me': "It wasn't me",
      fallback: 'Something else',
    },
  },
};
