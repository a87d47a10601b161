import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from '../support/free-port.js';
import { type HoldoutProcess, startHoldout } from '../support/holdout-process.js';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  TEST_REDIS_URL,
  type TestDatabase,
  uniqueName,
} from '../support/services.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'web');
/** Debian's chromium (apt-get install chromium): never a downloaded browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PANEL = { width: 318, height: 496 };

/** Builds the extension's pages as `npm run build:web` does. */
export function buildWeb(): void {
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const built = spawnSync(
    process.execPath,
    [vite, 'build', '--config', 'src/web/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (built.status !== 0) throw new Error(`vite build failed:\n${built.stdout}\n${built.stderr}`);
}

export interface WebFixture {
  url: string;
  /** The server's Postgres database and Redis key prefix, for tests that set up state directly. */
  databaseUrl: string;
  prefix: string;
  server: HoldoutProcess;
  browser: Browser;
  /** A browser context in which Twitch's helper script cannot load (no network in tests). */
  context(viewport?: { width: number; height: number }): Promise<BrowserContext>;
  /** A token for `viewer`, straight from POST /dev/token. */
  token(viewer: string, role?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * `holdout serve` on a fresh Postgres database and a Redis prefix of its own, with fast ticks; and chromium.
 * `env` overrides the server's settings (a slower tick, for a test that must act inside a choice's window).
 */
export async function startWebFixture(env: NodeJS.ProcessEnv = {}): Promise<WebFixture> {
  buildWeb();
  const database: TestDatabase = await createTestDatabase('holdout_web');
  const prefix = `${uniqueName('web')}:`;
  const server = startHoldout(['serve'], {
    PORT: String(await freePort()),
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    HOLDOUT_DEV_TOKENS: 'true',
    TICK_INTERVAL_MS: '200',
    LOCK_TTL_MS: '1000',
    WORKER_POLL_MS: '50',
    // Ticks 25 times faster than in play: the panels poll that much more often.
    RATE_LIMIT_POLL: '2000',
    RATE_LIMIT_READ: '1000',
    RATE_LIMIT_WRITE: '500',
    ...env,
  });
  const [, url] = await server.waitFor(/serving on (http:\/\/\S+)/, 60_000);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
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
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    url: url!,
    databaseUrl: database.url,
    prefix,
    server,
    browser,
    async context(viewport = PANEL) {
      const context = await browser.newContext({ viewport });
      await context.route('https://extension-files.twitch.tv/**', (route) => route.abort());
      return context;
    },
    async token(viewer, role = 'viewer') {
      const response = await fetch(`${url}/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ opaqueUserId: viewer, role }),
      });
      return ((await response.json()) as { token: string }).token;
    },
    async close() {
      await browser.close();
      await server.stop();
      await database.drop();
      await deleteKeysWithPrefix(prefix);
    },
  };
}

export async function openPanel(
  fixture: WebFixture,
  viewer: string,
  theme: 'dark' | 'light' = 'dark',
): Promise<Page> {
  const context = await fixture.context();
  const page = await context.newPage();
  await page.goto(`${fixture.url}/panel.html?viewer=${viewer}&theme=${theme}`);
  return page;
}

export const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });

/** The page does not scroll: everything fits the panel's 318 × 496. */
export async function pageOverflow(page: Page): Promise<{ width: number; height: number }> {
  return page.evaluate(() => ({
    width: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
  }));
}

/**
 * A test file's web fixture and a Postgres client on its database, for tests that set up or check
 * state directly: started before the file's tests, closed after them. Read `.web` and `.db` in tests.
 */
export function webFixtureWithDatabase(): { readonly web: WebFixture; readonly db: pg.Client } {
  const opened: { web?: WebFixture; db?: pg.Client } = {};
  beforeAll(async () => {
    opened.web = await startWebFixture();
    opened.db = new pg.Client({ connectionString: opened.web.databaseUrl });
    await opened.db.connect();
  }, 120_000);
  afterAll(async () => {
    await opened.db?.end();
    await opened.web?.close();
  });
  return opened as { readonly web: WebFixture; readonly db: pg.Client };
}
