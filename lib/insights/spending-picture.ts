import type { BankTransaction } from '../banking/bank-connector';
import type { BarChart, RenderedChart } from '../charts/bar-chart';
import { isInForce, type Consent } from '../consent/model/consent';
import type { Presenter } from '../consent/private-answers';
import { ConsentRequired, ScopeNotGranted } from '../errors';
import type { Log } from '../logger';
import type { CountMetric } from '../metrics';
import { deliverOnce, type DeliveryOutcome, type ReplyLedger } from '../messenger/deliver';
import { imageMessage, type ImageMessage, type OutboundMessage, type SendApi } from '../messenger/send-api';
import type { PictureRequest } from '../queue/picture-request';
import type { FinancialReads } from '../store';
import { calendarDay, money, shortDate, type Formatting } from '../text/format';
import { insightsWords } from '../text/insights';
import type { Language } from '../text/language';
import { moneyWords, primaryCategoryName } from '../text/money';
import { describePeriod } from '../text/periods';
import { spendingByCategory, topCategories } from './spending';

/**
 * "Show my spending this month": the person's spending by category in the period they asked
 * about, drawn as a bar chart and sent as an image, with one line that sums it up and the chart's
 * figures as text (Messenger has no alt text for an image). Read through the financial gate, for
 * consents in force that share transactions; nothing at all is sent for a person who shares none.
 * A period with no spending gets a sentence, not an empty chart.
 */
export interface SpendingPictureDeps {
  listConsents(psid: string): Promise<Consent[]>;
  financial: Pick<FinancialReads, 'transactions' | 'syncedAt'>;
  /** The reply ledger: the answer is sent once per question, whatever redelivers the message. */
  ledger: ReplyLedger;
  messenger: Pick<SendApi, 'send' | 'sendImage'>;
  render(chart: BarChart): Promise<RenderedChart>;
  /** Private mode: the picture and its figures go to the person's private page; the chat gets the ready line. */
  presenter: Pick<Presenter, 'privately'>;
  settings: { locales: Record<Language, string>; timeZone: string };
  clock: () => Date;
  log: Log;
  count: CountMetric;
}

/** `not-shared`: no consent in force shares transactions (or the first sync has not brought any yet). */
export type PictureOutcome = DeliveryOutcome | 'not-shared';

/** At most this many bars; smaller categories are folded into "other". */
const MAX_BARS = 8;

export async function sendSpendingPicture(request: PictureRequest, deps: SpendingPictureDeps): Promise<PictureOutcome> {
  const now = deps.clock();
  const sharing = (await deps.listConsents(request.psid)).filter((c) => isInForce(c, now) && c.scopes.includes('transactions') && c.itemId);
  const transactions = await readTransactions(sharing, deps);
  if (!transactions) {
    deps.log.info('Spending picture not drawn: no transactions shared', { key: request.key });
    return 'not-shared';
  }
  const outcome = await deliverOnce(
    {
      psid: request.psid,
      key: `picture:${request.key}`,
      messagingType: 'RESPONSE',
      // Drawn and sent only under the ledger's claim: a redelivered message finds it sent and draws
      // nothing. The picture goes first, then its text through the ledger; a transient failure of
      // either gives the claim back, and the whole answer is sent again.
      compose: async () => {
        const answer = await spendingPicture(transactions, request, { ...deps.settings, now }, deps.render);
        if (request.private) {
          const alt = 'text' in answer.text ? answer.text.text : '';
          return [await deps.presenter.privately(request.psid, answer.text, { kind: 'spending', lang: request.language, ...(answer.png ? { image: { png: answer.png, alt } } : {}) })];
        }
        if (answer.image) await deps.messenger.sendImage({ recipient: { id: request.psid }, messaging_type: 'RESPONSE', message: answer.image });
        return [answer.text];
      },
    },
    { store: deps.ledger, messenger: deps.messenger, log: deps.log },
  );
  if (outcome === 'sent') deps.count('RepliesSent');
  return outcome;
}

/**
 * The transactions of every consent that shares them, or undefined when there is nothing to draw
 * from: none shared, a consent ended since the question (the gate refuses), or only connections
 * whose first sync has not finished (an empty picture would read as "nothing spent").
 */
async function readTransactions(sharing: Consent[], deps: Pick<SpendingPictureDeps, 'financial'>): Promise<BankTransaction[] | undefined> {
  if (sharing.length === 0) return undefined;
  try {
    const [lists, synced] = await Promise.all([Promise.all(sharing.map((c) => deps.financial.transactions(c))), Promise.all(sharing.map((c) => deps.financial.syncedAt(c)))]);
    const transactions = lists.flat();
    if (transactions.length === 0 && synced.every((at) => at === undefined)) return undefined;
    return transactions;
  } catch (error) {
    if (error instanceof ConsentRequired || error instanceof ScopeNotGranted) return undefined;
    throw error;
  }
}

const capitalised = (text: string, locale: string) => text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);

/**
 * The picture and its text, in the person's language: the one-line summary, then a line per bar
 * (the picture's figures, for whoever cannot see it). With nothing spent, only the sentence that
 * says so.
 */
export async function spendingPicture(
  transactions: BankTransaction[],
  request: Pick<PictureRequest, 'period' | 'language'>,
  settings: SpendingPictureDeps['settings'] & { now: Date },
  render: SpendingPictureDeps['render'],
): Promise<{ image?: ImageMessage; png?: Uint8Array; text: OutboundMessage }> {
  const lang = request.language;
  const f: Formatting = { lang, locale: settings.locales[lang], timeZone: settings.timeZone };
  const today = calendarDay(settings.now, settings.timeZone);
  const when = describePeriod(request.period, { ...f, today });
  // Transactions are held 90 days (today and the 89 before it): a longer period says from when it counts.
  const heldFrom = new Date(Date.parse(`${today}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10);
  const coverage = request.period.from < heldFrom ? moneyWords[lang].coverage(shortDate(heldFrom, f)) : '';

  const spending = spendingByCategory(transactions, request.period);
  if (spending.total <= 0) return { text: { text: [moneyWords[lang].spending.spentNothing(when), coverage].filter(Boolean).join('\n') } };

  const w = insightsWords[lang];
  const amount = (n: number) => money(n, spending.currency, f);
  // A code the words have no name for would read as a second "other".
  const named = (code: string) => primaryCategoryName(code, lang) !== primaryCategoryName('OTHER', lang);
  const bars = topCategories(spending.categories, MAX_BARS, named).map((c) => ({ label: capitalised(primaryCategoryName(c.code, lang), f.locale), amount: c.amount }));
  const top = spending.categories[0]!;
  const figures = [w.summary(when, amount(spending.total), primaryCategoryName(top.code, lang), amount(top.amount)), ...bars.map((bar) => w.line(bar.label, amount(bar.amount)))].join('\n');
  const chart = await render({
    title: w.chartTitle,
    subtitle: w.chartSubtitle(capitalised(when, f.locale), amount(spending.total)),
    bars,
    currency: spending.currency,
    locale: f.locale,
    description: figures,
  });
  return { image: imageMessage({ contentType: 'image/png', filename: 'spending.png', bytes: chart.png }), png: chart.png, text: { text: [figures, coverage].filter(Boolean).join('\n') } };
}
