import type { PrivateWords } from '../private';

export const privateWords: PrivateWords = {
  ready: {
    balances: 'Your balances are ready.',
    transactions: 'Your transactions are ready.',
    spending: 'Your spending is ready.',
    search: 'What I found is ready.',
    largest: 'Your largest purchases are ready.',
    subscriptions: 'Your subscriptions are ready.',
    bills: 'Your upcoming bills are ready.',
    income: 'What I see of your pay is ready.',
    linked: 'Your bank is linked. The accounts I can see are on your private page.',
    'alert-fraud': 'A card payment needs your review.',
    'alert-notice': 'An account alert is ready for you.',
    updated: 'Your updated answer is ready.',
  },
  writeToSee: 'Write to me here to see it.',
  open: 'Open privately',
  page: {
    heading: {
      balances: 'Your balances',
      transactions: 'Your transactions',
      spending: 'Your spending',
      search: 'What I found',
      largest: 'Your largest purchases',
      subscriptions: 'Your subscriptions',
      bills: 'Your upcoming bills',
      income: 'Your pay',
      linked: 'Your linked accounts',
      'alert-fraud': 'A card payment to review',
      'alert-notice': 'Account alert',
      updated: 'Your updated answer',
    },
    onceNote: 'This page opens once and is not kept: ask in the chat again to see it later. Nothing on it went through Messenger.',
    goneTitle: 'Nothing to show',
    gone: 'This link was already opened, has expired, or is not yours. Ask in the chat again.',
    itWasMe: 'It was me',
    notMe: 'It wasn’t me',
    answeredTitle: 'Thanks, your answer is recorded',
  },
  mode: {
    which: 'Where should your figures appear? Private: the chat says an answer is ready and you open it on a page of ours, so Meta never carries your figures. In Messenger: in the chat, through Meta like any message.',
    private: 'Private',
    messenger: 'In Messenger',
    confirm: (to) =>
      to === 'private'
        ? 'Keep your figures private? I’ll say in the chat when an answer is ready, and show it on a page of ours that opens once, so Meta never carries your figures.'
        : 'Show your figures here in the chat? Messages in Messenger pass through Meta like any message, so Meta would carry your balances and spending.',
    done: (to) =>
      to === 'private'
        ? 'Done: your figures are private. Each answer opens on a page of ours, once.'
        : 'Done: your figures now appear here in the chat.',
    already: (mode) => (mode === 'private' ? 'Your figures are already private.' : 'Your figures already appear here in the chat.'),
  },
};
