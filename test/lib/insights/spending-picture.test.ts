import { describe, expect, it } from 'vitest';
import type { BankTransaction } from '../../../lib/banking/bank-connector';
import type { BarChart } from '../../../lib/charts/bar-chart';
import { spendingPicture } from '../../../lib/insights/spending-picture';

/** The picture's content, with a renderer that keeps the chart it was asked for. */
let n = 0;
const tx = (date: string, amount: number, primary: string): BankTransaction => ({
  transactionId: `t${++n}`,
  accountId: 'acc-1',
  amount,
  currency: 'USD',
  date,
  name: 'SHOP',
  category: { primary, detailed: `${primary}_OTHER` },
  pending: false,
});
const settings = { locales: { en: 'en-US', es: 'es-US' }, timeZone: 'UTC', now: new Date('2026-11-14T15:00:00Z') };
const THIS_MONTH = { spec: 'this-month', from: '2026-11-01', to: '2026-11-14' };
/** A range as Intl writes it in the locale (its thin spaces around the dash included). */
const range = (locale: string, from: string, to: string) =>
  new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'short', day: 'numeric' }).formatRange(new Date(`${from}T00:00:00Z`), new Date(`${to}T00:00:00Z`));
const NOV = range('en-US', '2026-11-01', '2026-11-14');

async function draw(transactions: BankTransaction[], request: Parameters<typeof spendingPicture>[1]) {
  const charts: BarChart[] = [];
  const answer = await spendingPicture(transactions, request, settings, async (chart) => {
    charts.push(chart);
    return { png: new Uint8Array([1]), width: 800, height: 400 };
  });
  return { answer, chart: charts[0] };
}

describe('spendingPicture', () => {
  it('draws the categories with capitalised names and a subtitle naming the period and the total', async () => {
    const { answer, chart } = await draw([tx('2026-11-02', 40, 'FOOD_AND_DRINK'), tx('2026-11-03', 15.5, 'TRANSPORTATION')], { period: THIS_MONTH, language: 'en' });

    expect(chart).toEqual({
      title: 'Your spending by category',
      subtitle: `This month (${NOV}) · $55.50 in all`,
      bars: [
        { label: 'Food and drink', amount: 40 },
        { label: 'Transport', amount: 15.5 },
      ],
      currency: 'USD',
      locale: 'en-US',
      description: `Spending this month (${NOV}): $55.50 — most on food and drink ($40.00).\n• Food and drink: $40.00\n• Transport: $15.50`,
    });
    expect(answer.text).toEqual({ text: chart!.description });
    expect(answer.image?.filedata).toEqual({ contentType: 'image/png', filename: 'spending.png', bytes: new Uint8Array([1]) });
  });

  it('folds the smallest categories into "Other" past eight bars, still adding up', async () => {
    const primaries = ['FOOD_AND_DRINK', 'TRANSPORTATION', 'TRAVEL', 'ENTERTAINMENT', 'MEDICAL', 'PERSONAL_CARE', 'GENERAL_SERVICES', 'HOME_IMPROVEMENT', 'BANK_FEES', 'GENERAL_MERCHANDISE'];
    const { chart } = await draw(primaries.map((p, i) => tx('2026-11-05', 100 - i, p)), { period: THIS_MONTH, language: 'en' });

    expect(chart!.bars).toHaveLength(8);
    // 100 down to 91: the seven largest kept, 93 + 92 + 91 folded.
    expect(chart!.bars.filter((b) => b.label === 'Other')).toEqual([{ label: 'Other', amount: 276 }]);
    expect(chart!.bars.reduce((sum, b) => sum + b.amount, 0)).toBe(955);
  });

  it('draws one "Other" for the bank\'s own other and a category the words have no name for', async () => {
    const { chart } = await draw([tx('2026-11-02', 10, 'OTHER'), tx('2026-11-03', 5, 'SOMETHING_NEW'), tx('2026-11-04', 20, 'TRAVEL')], { period: THIS_MONTH, language: 'en' });

    expect(chart!.bars).toEqual([
      { label: 'Travel', amount: 20 },
      { label: 'Other', amount: 15 },
    ]);
  });

  it('says, in Spanish, from when a period longer than the 90 days held is counted', async () => {
    const { answer } = await draw([tx('2026-10-02', 12, 'TRAVEL')], { period: { spec: 'this-year', from: '2026-01-01', to: '2026-11-14' }, language: 'es' });

    expect(answer.text).toEqual({
      text: [`Gastos este año (${range('es-US', '2026-01-01', '2026-11-14')}): $12.00 — sobre todo en viajes ($12.00).`, '• Viajes: $12.00', '(Guardo 90 días de movimientos, así que cuento desde el 17 ago.)'].join('\n'),
    });
  });

  it('sends a sentence and draws nothing when nothing was spent', async () => {
    const { answer, chart } = await draw([tx('2026-11-02', -2500, 'INCOME')], { period: THIS_MONTH, language: 'es' });

    expect(chart).toBeUndefined();
    expect(answer).toEqual({ text: { text: `No gastaste nada este mes (${range('es-US', '2026-11-01', '2026-11-14')}).` } });
  });
});
