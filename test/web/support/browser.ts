/**
 * Debian's chromium driven by playwright-core: headless, no sandbox (root in
 * CI), nothing phoning home, a fresh profile per launch.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { Account } from './webServer.ts';

export const screenshotDir = join(process.cwd(), 'test-artifacts', 'screenshots');

export function launchChromium(): Promise<Browser> {
  const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`No chromium at ${executablePath}: install it with \`apt-get install -y chromium\` (.ci/run does) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const desktop = { width: 1280, height: 800 };
export const phone = { width: 390, height: 844 };

/**
 * A context whose pages start signed in as `account` (the token the app keeps in localStorage).
 * The app shell's service worker is blocked unless `serviceWorkers: 'allow'`: with a worker in
 * between, playwright's route() no longer sees the page's requests, which many suites fail on purpose.
 */
export async function signedInContext(
  browser: Browser,
  baseUrl: string,
  account: Account,
  viewport: { width: number; height: number } = desktop,
  /** More context options: a touch screen (`hasTouch`, `isMobile`), or `serviceWorkers: 'allow'` (blocked by default, see above). */
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, colorScheme: 'light', serviceWorkers: 'block', ...options });
  await context.addInitScript((token) => {
    if (!sessionStorage.getItem('thrds.test.seeded')) {
      localStorage.setItem('thrds.token', token);
      sessionStorage.setItem('thrds.test.seeded', '1');
    }
  }, account.token);
  return context;
}

/** Waits until the app's live connection says it is live. */
export async function waitLive(page: Page): Promise<void> {
  await page.locator('.connection[data-state="live"]').waitFor({ timeout: 15_000 });
}

export async function openThread(page: Page, threadId: string): Promise<void> {
  await page.goto(`/t/${threadId}`);
  await page.locator('.thread-view[aria-labelledby]').waitFor();
  await waitLive(page);
}

/** The bodies of the confirmed messages in the open thread, top to bottom. */
export function messageBodies(page: Page): Promise<string[]> {
  return page.locator('.messages > li.message:not(.pending) .message-body').allInnerTexts();
}

export async function send(page: Page, body: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(body);
  await box.press('Enter');
}

export function screenshotPath(name: string): string {
  mkdirSync(screenshotDir, { recursive: true });
  return join(screenshotDir, `${name}.png`);
}
