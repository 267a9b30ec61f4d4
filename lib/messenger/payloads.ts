/**
 * The payloads of the Page's buttons, quick replies and persistent menu: what a tap sends back to
 * the webhook, for the assistant to read (lib/assistant/intents.ts). Here, below every capability,
 * so that whoever puts a button in a message (consent notices, alerts, the Messenger profile) can
 * name them without bundling the assistant's language reading (its lexicon is built at load, ~4 ms
 * of each cold start).
 */
export const Payloads = {
  getStarted: 'GET_STARTED',
  linkBank: 'LINK_BANK',
  dataPolicy: 'DATA_POLICY',
  myData: 'MY_DATA',
  help: 'HELP',
  manageSharing: 'MANAGE_SHARING',
  stopSharing: 'STOP_SHARING',
  keepSharing: 'KEEP_SHARING',
  balance: 'BALANCE',
  spendingThisMonth: 'SPENDING_THIS_MONTH',
  recentTransactions: 'RECENT_TRANSACTIONS',
  moreTransactions: 'MORE_TRANSACTIONS',
  followLastMonth: 'FOLLOW_LAST_MONTH',
  largest: 'LARGEST',
  subscriptions: 'SUBSCRIPTIONS',
  upcomingBills: 'UPCOMING_BILLS',
  alertSettings: 'ALERT_SETTINGS',
  fraudAlertsOn: 'FRAUD_ALERTS_ON',
  fraudAlertsOff: 'FRAUD_ALERTS_OFF',
  lowBalanceOff: 'LOW_BALANCE_OFF',
  largeAlertsOff: 'LARGE_ALERTS_OFF',
  talkToPerson: 'TALK_TO_PERSON',
  exportData: 'EXPORT_DATA',
  /** "No" to a restated change: nothing is applied. */
  cancelChange: 'CANCEL_CHANGE',
  /**
   * "Yes" to a restated change, naming it exactly (fraud:on, large:250, low:off, handover); it is
   * applied only if it is the change the person was shown (the one the conversation is waiting for).
   */
  confirmChange: (change: { kind: string; on?: boolean; amount?: number | null }) =>
    `CONFIRM:${change.kind}${change.on !== undefined ? `:${change.on ? 'on' : 'off'}` : change.amount !== undefined ? `:${change.amount === null ? 'off' : String(change.amount)}` : ''}`,
  /**
   * One reading of a message the assistant was unsure of ("Did you mean…?"), with the slots read
   * from it, so tapping it answers the question as if it had been understood.
   */
  meant: (intent: string, slots: object) => `MEANT:${intent}:${JSON.stringify(slots)}`,
  revoke: (consentId: string) => `REVOKE:${consentId}`,
  renew: (consentId: string) => `RENEW:${consentId}`,
  /** Answered with a fresh link to log in at the bank again (a link in a message read days later would have expired). */
  reconnect: (consentId: string) => `RECONNECT:${consentId}`,
} as const;
