/**
 * What every two-person browser suite sets up: a real server (SQLite, or a
 * scratch MariaDB database), one chromium, and Ada and Bob registered in
 * that order (the first account on an empty store is its admin). Each page
 * opens in a signed-in browser context of its own account, reports its page
 * errors, and is closed with the suite.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestDatabase, type StoreKind, type TestDatabase } from '../../support/databases.ts';
import { desktop, launchChromium, screenshotPath, signedInContext } from './browser.ts';
import type { ServerConfig } from '../../../src/config.ts';
import { register, startWebServer, type Account, type WebServer } from './webServer.ts';

export interface Scene {
  readonly server: WebServer;
  readonly browser: Browser;
  readonly ada: Account;
  readonly bob: Account;
}

type Viewport = { readonly width: number; readonly height: number };

export interface SceneTools {
  /** A signed-in browser context of `account` (closed with the suite), at `viewport` (default: desktop). */
  context(account: Account, viewport?: Viewport): Promise<BrowserContext>;
  /** A new tab of `context`, its page errors reported. */
  tab(context: BrowserContext): Promise<Page>;
  /** A tab in a new context of `account`. */
  page(account: Account, viewport?: Viewport): Promise<Page>;
  /** Light and dark screenshots of `page`: `<prefix>-<name>-{light,dark}.png`. */
  snap(page: Page, name: string): Promise<void>;
}

/** Sets the scene up before the suite (handing it to `ready`) and tears it down after; `settings` reach the server (uploads, say). */
export function browserScene(prefix: string, ready: (scene: Scene) => void, kind: StoreKind = 'sqlite', settings: Partial<ServerConfig> = {}): SceneTools {
  let browser: Browser | undefined;
  let server: WebServer | undefined;
  let store: TestDatabase | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // startWebServer makes a SQLite file; for MariaDB the server is pointed at a scratch database instead.
    store = kind === 'mariadb' ? await createTestDatabase('mariadb') : undefined;
    [server, browser] = await Promise.all([startWebServer({ ...settings, ...(store ? { databaseUrl: store.url } : {}) }), launchChromium()]);
    // One after the other: the first account registered on an empty store is the ADMIN.
    const ada = await register(server, 'Ada');
    const bob = await register(server, 'Bob');
    ready({ server, browser, ada, bob });
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await browser?.close();
    await server?.stop();
    await store?.drop();
  });

  const tools: SceneTools = {
    async context(account, viewport = desktop) {
      const context = await signedInContext(browser!, server!.baseUrl, account, viewport);
      contexts.push(context);
      return context;
    },
    async tab(context) {
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error('[browser]', error));
      return page;
    },
    async page(account, viewport) {
      return tools.tab(await tools.context(account, viewport));
    },
    async snap(page, name) {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({ path: screenshotPath(`${prefix}-${name}-${scheme}`) });
      }
      await page.emulateMedia({ colorScheme: 'light' });
    },
  };
  return tools;
}
