import type { InsightsWords } from '../insights';

/** The spending picture, in Spanish. */
export const insights: InsightsWords = {
  chartTitle: 'Tus gastos por categoría',
  chartSubtitle: (when, total) => `${when} · ${total} en total`,
  summary: (when, total, topCategory, topAmount) => `Gastos ${when}: ${total} — sobre todo en ${topCategory} (${topAmount}).`,
  line: (category, amount) => `• ${category}: ${amount}`,
};
