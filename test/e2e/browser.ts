import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from '../../dev/serverless-config';

/**
 * Debian's Chromium, headless, never a downloaded browser. The machine has no internet: without the
 * background-networking flags Chromium's own connections are refused and slow every page down.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's package (apt-get install --no-install-recommends chromium, as .ci/run does) or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/** Screenshots are test artifacts: test-results/e2e/<name>.png */
export const ARTIFACTS = join(projectRoot, 'test-results', 'e2e');

/** Numbered screenshots of one test file; the previous run's are removed first. */
export function screenshots(prefix: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const old of readdirSync(ARTIFACTS).filter((name) => name.startsWith(`${prefix}-`) && name.endsWith('.png'))) rmSync(join(ARTIFACTS, old));
  let n = 0;
  return async (page: Page, name: string) => {
    n += 1;
    await page.screenshot({ path: join(ARTIFACTS, `${prefix}-${String(n).padStart(2, '0')}-${name}.png`), fullPage: true });
  };
}
