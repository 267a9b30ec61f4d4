import type { InsightsWords } from '../insights';

/** The spending picture, in English. */
export const insights: InsightsWords = {
  chartTitle: 'Your spending by category',
  chartSubtitle: (when, total) => `${when} · ${total} in all`,
  summary: (when, total, topCategory, topAmount) => `Spending ${when}: ${total} — most on ${topCategory} (${topAmount}).`,
  line: (category, amount) => `• ${category}: ${amount}`,
};
