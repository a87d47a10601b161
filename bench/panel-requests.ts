/**
 * What panels cost the API, and how soon they show a tick (issue 17): requests per viewer-minute of
 * idle and active viewers, with and without Extension PubSub broadcasts, and tick-to-panel p95.
 *
 *   npm run bench:api                                  # the poll endpoint, then this
 *   BENCH_PANELS=400 BENCH_PANEL_WINDOW_S=120 tsx bench/panel-requests.ts
 *
 * The server (API, tick engine and Twitch services, as `holdout serve` composes them) runs in a child
 * process on a real PostgreSQL and Redis, with production's 5 s ticks. Each viewer is the panel's own
 * PollScheduler (src/web/api/poll-scheduler.ts) polling /v1/poll with its ETag and cursor, exactly as
 * the panel store drives it. With broadcasts, the backend's PubSub messages go to the Twitch stand-in
 * (test/support/twitch-stand-in.ts), which hands each one at once to every panel of the channel, as
 * Twitch.ext.listen would (noticeSpread decides, as in the panel); Twitch's own delivery delay is not
 * in the figures. All viewers watch one channel: the coalescing sender's worst case.
 *
 * Uses TEST_POSTGRES_URL (a fresh database per scenario, dropped at the end) and TEST_REDIS_URL.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { signTwitchToken } from '../src/api/auth/twitch-jwt.js';
import { buildApp } from '../src/api/build-app.js';
import { loadConfig } from '../src/config.js';
import { startEngine } from '../src/engine/engine.js';
import { engineDepsFor, engineOptionsFor } from '../src/engine/engine-from-runtime.js';
import { createLogger } from '../src/logger.js';
import { openRuntime } from '../src/runtime.js';
import { startTwitchServices } from '../src/twitch/twitch-services.js';
import { type PollResult, PollScheduler } from '../src/web/api/poll-scheduler.js';
import { noticeSaysSettings, noticeSpread } from '../src/web/panel/broadcast-notice.js';
import { CatalogRefresh } from '../src/web/panel/catalog-refresh.js';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  TEST_REDIS_URL,
  uniqueName,
} from '../test/support/services.js';
import { STAND_IN_DEFAULTS, standInEnv, TwitchStandIn } from '../test/support/twitch-stand-in.js';

/** Viewers per scenario: half idle (a survivor at home), half active (a survivor on a solo mission). */
const PANELS = Number(process.env.BENCH_PANELS ?? 200);
/** The measured window, in s (after a warm-up in which every panel has polled once). */
const WINDOW_S = Number(process.env.BENCH_PANEL_WINDOW_S ?? 60);
/** Before the window: every panel has polled once, broadcasts have started, in s. */
const WARM_UP_S = Number(process.env.BENCH_PANEL_WARM_UP_S ?? 10);
const SETUP_CONCURRENCY = 10;
const CHANNEL = '4242';

async function serve(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'test' });
  const runtime = await openRuntime(config, createLogger('warn'));
  const engine = await startEngine(engineDepsFor(runtime), engineOptionsFor(config));
  const app = await buildApp(runtime, { sweepLobbies: false });
  const twitch = startTwitchServices(runtime);
  process.send?.({ api: await app.listen({ host: '127.0.0.1', port: 0 }) });
  process.on('disconnect', () => {
    void app
      .close()
      .then(() => Promise.all([twitch.stop(), engine.stop()]))
      .then(() => runtime.close())
      .then(() => process.exit(0));
  });
}

interface PollBody {
  serverTime: number;
  nextPollAt: number;
  cursor: string;
  lobby: { id: string } | null;
  missions: { id: string; status: string; lines: { tick: number; at: number }[] }[];
}

type ViewerState = 'idle' | 'active';

/**
 * One viewer's panel: the real poll scheduler and catalog refresh, counting their requests by what the
 * viewer was doing when it sent each (a mission running or not, as its last answer said) and the time
 * spent in each state, and timing each new line's arrival.
 */
class Panel {
  readonly requests: Record<ViewerState, number> = { idle: 0, active: 0 };
  /** Of those, reads of the catalog (the channel's rules). */
  readonly catalogReads: Record<ViewerState, number> = { idle: 0, active: 0 };
  readonly ms: Record<ViewerState, number> = { idle: 0, active: 0 };
  /** ms from a tick running to this panel having its line (lines that arrived while measured). */
  readonly tickToPanel: number[] = [];
  /** Polls that failed: a refused or failing poll is retried on a back-off and would skew the counts. */
  readonly failures: string[] = [];
  private measuring = false;
  private state: ViewerState = 'idle';
  private stateSince = 0;
  readonly mine = { missions: new Set<string>(), lobby: null as string | null };
  readonly scheduler: PollScheduler;
  readonly catalog: CatalogRefresh;
  private etag: string | null = null;
  private cursor = '';
  private seen = new Map<string, number>();

  constructor(
    private readonly api: string,
    private readonly token: string,
  ) {
    this.scheduler = new PollScheduler({
      poll: () => this.poll(),
      onStatus: (failure) => {
        if (failure) this.failures.push(String(failure.error));
      },
    });
    this.catalog = new CatalogRefresh(() => {
      this.readCatalog().catch((error: unknown) => this.failures.push(`catalog: ${String(error)}`));
    });
  }

  measure(on: boolean): void {
    const now = Date.now();
    if (this.measuring) this.ms[this.state] += now - this.stateSince;
    this.measuring = on;
    this.stateSince = now;
  }

  private enter(state: ViewerState): void {
    if (state === this.state) return;
    this.measure(this.measuring);
    this.state = state;
  }

  private async readCatalog(): Promise<void> {
    if (this.measuring) {
      this.requests[this.state]++;
      this.catalogReads[this.state]++;
    }
    const response = await fetch(`${this.api}/v1/missions/catalog`, {
      headers: { authorization: `Bearer ${this.token}` },
    });
    await response.arrayBuffer();
    if (!response.ok) this.failures.push(`catalog answered ${response.status}`);
  }

  private async poll(): Promise<PollResult> {
    if (this.measuring) this.requests[this.state]++;
    const response = await fetch(`${this.api}/v1/poll${this.cursor ? `?cursor=${this.cursor}` : ''}`, {
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(this.etag ? { 'if-none-match': this.etag } : {}),
      },
    });
    if (response.status === 304) return { kind: 'unchanged' };
    if (!response.ok) throw new Error(`poll answered ${response.status}`);
    const body = (await response.json()) as PollBody;
    const now = Date.now();
    this.etag = response.headers.get('etag');
    this.cursor = body.cursor;
    this.mine.missions = new Set(body.missions.map((m) => m.id));
    this.mine.lobby = body.lobby?.id ?? null;
    for (const mission of body.missions) {
      const known = this.seen.get(mission.id);
      for (const line of mission.lines) {
        // The first answer brings the backlog: only lines new since a previous answer are timed.
        if (known !== undefined && line.tick > known && this.measuring) this.tickToPanel.push(now - line.at);
      }
      const last = mission.lines.at(-1)?.tick;
      if (last !== undefined) this.seen.set(mission.id, Math.max(known ?? 0, last));
    }
    const ticking = body.missions.some((m) => m.status === 'active');
    this.enter(ticking ? 'active' : 'idle');
    return { kind: 'changed', nextPollAt: body.nextPollAt, serverTime: body.serverTime, ticking };
  }
}

async function inBatches<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += SETUP_CONCURRENCY)
    await Promise.all(items.slice(i, i + SETUP_CONCURRENCY).map(work));
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

interface ScenarioResult {
  scenario: string;
  idlePerMinute: number;
  /** Of idlePerMinute, catalog reads. */
  idleCatalogPerMinute: number;
  activePerMinute: number;
  /** Lines the active panels received per minute of a mission running: about 12 when ticks keep time. */
  linesPerActiveMinute: number;
  tickToPanel: number[];
}

async function scenario(broadcasts: boolean, standIn: TwitchStandIn): Promise<ScenarioResult> {
  const database = await createTestDatabase('holdout_bench');
  const prefix = `${uniqueName('panels')}:`;
  // Without broadcasts: the same extension (tokens), but no owner id to sign PubSub messages with.
  const { TWITCH_OWNER_ID: _owner, ...extensionOnly } = standInEnv(standIn);
  const twitchEnv = broadcasts ? standInEnv(standIn) : extensionOnly;
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve'], {
    execArgv: ['--max-semi-space-size=64', '--import', 'tsx'],
    env: {
      ...process.env,
      ...twitchEnv,
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      RATE_LIMIT_POLL: '1000000',
      RATE_LIMIT_READ: '1000000',
      RATE_LIMIT_WRITE: '1000000',
      // Every viewer's token comes from this one address: past 120 new tokens a minute the set-up was
      // refused (survivors never made) and the refused panels retried on their back-off, which counted
      // as idle requests (2.56 a minute idle in the first idle-machine run).
      RATE_LIMIT_NEW_TOKENS_PER_IP: '1000000',
    },
  });
  const panels: Panel[] = [];
  try {
    const [{ api }] = (await once(child, 'message')) as [{ api: string }];
    const sign = (i: number, role: 'viewer' | 'broadcaster' = 'viewer') =>
      signTwitchToken(STAND_IN_DEFAULTS.extensionSecret, {
        opaqueUserId: `Upanel${i}`,
        channelId: CHANNEL,
        role,
        ttlSeconds: 7200,
      });
    const call = async (token: string, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${api}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      // A refused set-up would measure panels that are not what the scenario says.
      if (!response.ok)
        throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
      return response;
    };
    // Long missions (36 ticks of 5 s) outlast the window.
    await call(await sign(-1, 'broadcaster'), 'PUT', '/v1/channel/settings', { missionLength: 'long' });
    const tokens = await Promise.all(Array.from({ length: PANELS }, (_, i) => sign(i)));
    await inBatches([...tokens.keys()], async (i) => {
      const made = await call(tokens[i]!, 'POST', '/v1/survivors', { name: 'Bench' });
      const { id } = (await made.json()) as { id: string };
      if (i % 2 === 1)
        await call(tokens[i]!, 'POST', '/v1/missions', {
          survivorId: id,
          location: 'flooded-mall',
          difficulty: 1,
        });
      panels.push(new Panel(api, tokens[i]!));
    });
    const catalog = (await (await call(tokens[0]!, 'GET', '/v1/missions/catalog')).json()) as {
      broadcasts: boolean;
    };
    if (catalog.broadcasts !== broadcasts)
      throw new Error(`the server says broadcasts: ${catalog.broadcasts}`);
    // Twitch.ext.listen: every PubSub message of the channel reaches every panel of the channel.
    const deliver = (record: { channelId: string; message: string }) => {
      if (!broadcasts || record.channelId !== CHANNEL) return;
      for (const panel of panels) {
        const spread = noticeSpread(record.message, panel.mine);
        if (spread !== null) panel.scheduler.told(spread);
        if (noticeSaysSettings(record.message)) panel.catalog.told();
      }
    };
    standIn.onPubSub(deliver);
    for (const panel of panels) {
      panel.scheduler.setPush(broadcasts);
      panel.scheduler.start();
      // The panel's first catalog read (which said whether broadcasts are on) came just before.
      panel.catalog.setPush(broadcasts);
      panel.catalog.noteRead();
      panel.catalog.start();
    }
    await new Promise((resolve) => setTimeout(resolve, WARM_UP_S * 1000));
    for (const panel of panels) panel.measure(true);
    await new Promise((resolve) => setTimeout(resolve, WINDOW_S * 1000));
    for (const panel of panels) {
      panel.measure(false);
      panel.scheduler.stop();
      panel.catalog.stop();
    }
    const total = (pick: (p: Panel) => number) => panels.reduce((sum, p) => sum + pick(p), 0);
    const minutes = (state: ViewerState) => total((p) => p.ms[state]) / 60_000;
    const tickToPanel = panels.flatMap((p) => p.tickToPanel);
    const failures = panels.flatMap((p) => p.failures);
    if (failures.length > 0)
      throw new Error(
        `${failures.length} polls failed, the first: ${failures[0]}; the counts would not be the panel's`,
      );
    return {
      scenario: broadcasts ? 'with broadcasts' : 'without broadcasts',
      idlePerMinute: total((p) => p.requests.idle) / minutes('idle'),
      idleCatalogPerMinute: total((p) => p.catalogReads.idle) / minutes('idle'),
      activePerMinute: total((p) => p.requests.active) / minutes('active'),
      linesPerActiveMinute: tickToPanel.length / minutes('active'),
      tickToPanel,
    };
  } finally {
    for (const panel of panels) {
      panel.scheduler.stop();
      panel.catalog.stop();
    }
    if (child.connected) {
      child.disconnect();
      await once(child, 'exit');
    }
    await database.drop();
    await deleteKeysWithPrefix(prefix);
  }
}

async function main(): Promise<void> {
  const standIn = await new TwitchStandIn(STAND_IN_DEFAULTS).start();
  const before = loadavg();
  try {
    const results: ScenarioResult[] = [];
    for (const broadcasts of [false, true]) {
      process.stdout.write(
        `${broadcasts ? 'with' : 'without'} broadcasts: ${PANELS} panels, ${WINDOW_S} s…\n`,
      );
      results.push(await scenario(broadcasts, standIn));
    }
    console.table(
      results.map((r) => ({
        scenario: r.scenario,
        'idle req/viewer-min': r.idlePerMinute.toFixed(2),
        'of which catalog': r.idleCatalogPerMinute.toFixed(2),
        'active req/viewer-min': r.activePerMinute.toFixed(2),
        'tick→panel p50 ms': Math.round(percentile(r.tickToPanel, 50)),
        'tick→panel p95 ms': Math.round(percentile(r.tickToPanel, 95)),
        'tick→panel max ms': Math.round(percentile(r.tickToPanel, 100)),
        'lines/active-min': r.linesPerActiveMinute.toFixed(1),
      })),
    );
    const after = loadavg();
    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ');
    process.stdout.write(
      `${PANELS} panels (half idle, half with a solo mission ticking every 5 s; a viewer counts as active while ` +
        `its mission runs) on one channel, ${WINDOW_S} s each; ` +
        `PubSub messages sent: ${standIn.pubsub.length}; load average before ${load(before)}, after ${load(after)}\n`,
    );
  } finally {
    await standIn.stop();
  }
}

if (process.argv.includes('--serve')) await serve();
else await main();
