import type { AxeResults, Result, RunOptions } from 'axe-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/**
 * axe-core, run inside a page, for WCAG 2.2 AA. The script is evaluated through the DevTools
 * protocol rather than added as a <script>: every page under test forbids scripts in its CSP, and
 * the tests must see those pages with the CSP they really have (a bypass would hide CSP bugs).
 */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const OPTIONS: RunOptions = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  resultTypes: ['violations'],
};

/**
 * Serious and critical findings block. Landmark findings are only "moderate" in axe's scale but
 * block too: without a main landmark and with text outside any landmark, a screen reader cannot
 * jump to what the page is about.
 */
const blocks = (violation: Result) =>
  violation.impact === 'serious' || violation.impact === 'critical' || violation.id === 'region' || violation.id.startsWith('landmark-');

const describeViolation = (violation: Result) =>
  [
    `${violation.id} (${violation.impact ?? 'no impact'}): ${violation.help}`,
    ...violation.nodes.slice(0, 5).map((node) => `    at ${node.target.join(' ')}: ${node.failureSummary?.replace(/\s+/g, ' ') ?? ''}`),
    ...(violation.nodes.length > 5 ? [`    …and ${violation.nodes.length - 5} more`] : []),
    `    ${violation.helpUrl}`,
  ].join('\n');

/** Runs axe on the page as it is now; the findings that block, with what they are about. */
export async function accessibilityViolations(page: Page): Promise<Result[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axeSource);
  // Without a context, axe checks the whole document.
  const results = await page.evaluate((options) => (globalThis as unknown as { axe: { run(options: RunOptions): Promise<AxeResults> } }).axe.run(options), OPTIONS);
  // axe that ran checked something on any page; nothing checked means it did not run.
  if (results.passes.length + results.violations.length + results.incomplete.length === 0) throw new Error(`axe-core checked nothing on ${page.url()}`);
  return results.violations.filter(blocks);
}

const report = (what: string, violations: Result[]) => `${what}:\n${violations.map(describeViolation).join('\n')}`;

/** Fails with every blocking finding on the page, readable in the test's output. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const violations = await accessibilityViolations(page);
  if (violations.length > 0) throw new Error(`Not accessible (WCAG 2.2 AA): ${report(`${what} (${page.url()})`, violations)}`);
}

/**
 * The same checks in the light and the dark color scheme (pages that follow the person's setting
 * must pass in both); the page is left in the light one.
 */
export async function expectAccessibleInBothSchemes(page: Page, what: string): Promise<void> {
  const failures: string[] = [];
  try {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const violations = await accessibilityViolations(page);
      if (violations.length > 0) failures.push(report(`${what}, ${colorScheme} color scheme`, violations));
    }
  } finally {
    await page.emulateMedia({ colorScheme: 'light' });
  }
  if (failures.length > 0) throw new Error(`Not accessible (WCAG 2.2 AA): ${failures.join('\n')}`);
}
