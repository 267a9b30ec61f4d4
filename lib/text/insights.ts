import { insights as en } from './en/insights';
import { insights as es } from './es/insights';
import type { Language } from './language';

/**
 * The spending picture (lib/insights/spending-picture.ts): the chart's own words and the text that
 * goes with it. Periods, amounts and category names arrive already written in the locale.
 */
export interface InsightsWords {
  chartTitle: string;
  /** Under the title: "This month (Nov 1 – 14) · $1,234.56 in all". */
  chartSubtitle: (when: string, total: string) => string;
  /** The one line that goes with the picture. */
  summary: (when: string, total: string, topCategory: string, topAmount: string) => string;
  /** One line per bar: the picture's figures as text, for whoever cannot see it. */
  line: (category: string, amount: string) => string;
}

export const insightsWords: Record<Language, InsightsWords> = { en, es };
