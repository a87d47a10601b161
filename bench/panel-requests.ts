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
 * the panel store drives it, plus every other read a panel on its Ranks tab makes, paced by the panel's
 * own modules: the event banner (event-read-pace.ts, event-notice-reads.ts), the season
 * (season-meter.tsx) and the catalog (catalog-refresh.ts). With broadcasts, the backend's PubSub messages go to the Twitch stand-in
 * (test/support/twitch-stand-in.ts), which hands each one at once to every panel of the channel, as
 * Twitch.ext.listen would (noticeSpread, noticeSaysSettings and EventNoticeReads decide, as in the
 * panel); Twitch's own delivery delay is not
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
import type { ChannelEvent } from '../src/web/api/api-types.js';
import { type PollResult, PollScheduler } from '../src/web/api/poll-scheduler.js';
import { EventNoticeReads } from '../src/web/events/event-notice-reads.js';
import { nextEventReadMs } from '../src/web/events/event-read-pace.js';
import { nextSeasonReadMs } from '../src/web/events/season-meter.js';
import { noticeSaysSettings, noticeSpread } from '../src/web/panel/broadcast-notice.js';
import {
  CATALOG_REFRESH_MS,
  CATALOG_REFRESH_PUSH_MS,
  CatalogRefresh,
} from '../src/web/panel/catalog-refresh.js';
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
/** What a request read: the poll, the channel's event (banner), the season (Ranks tab), the catalog. */
type ReadKind = 'poll' | 'event' | 'season' | 'catalog';
const KINDS: ReadKind[] = ['poll', 'event', 'season', 'catalog'];
const zero = (): Record<ReadKind, number> => ({ poll: 0, event: 0, season: 0, catalog: 0 });

/**
 * One viewer's panel, on its Ranks tab (the one tab that also reads the season: the costliest idle
 * panel): the real poll scheduler, catalog refresh, and the event banner's and season's pacing
 * (event-read-pace.ts, season-meter.tsx, event-notice-reads.ts), counting their requests by what the
 * viewer was doing when it sent each (a mission running or not, as its last answer said) and the time
 * spent in each state, and timing each new line's arrival.
 */
class Panel {
  readonly requests: Record<ViewerState, Record<ReadKind, number>> = { idle: zero(), active: zero() };
  readonly ms: Record<ViewerState, number> = { idle: 0, active: 0 };
  /** ms from a tick running to this panel having its line (lines that arrived while measured). */
  readonly tickToPanel: number[] = [];
  /** Requests that failed: a refused or failing poll is retried on a back-off and would skew the counts. */
  readonly failures: string[] = [];
  private measuring = false;
  private state: ViewerState = 'idle';
  private stateSince = 0;
  readonly mine = { missions: new Set<string>(), lobby: null as string | null };
  readonly scheduler: PollScheduler;
  readonly catalog: CatalogRefresh;
  readonly eventNotices: EventNoticeReads;
  private push = false;
  private etag: string | null = null;
  private cursor = '';
  private seen = new Map<string, number>();
  private eventTimer: ReturnType<typeof setTimeout> | undefined;
  private seasonTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

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
    this.catalog = new CatalogRefresh(() => void this.get('catalog', '/v1/missions/catalog'));
    this.eventNotices = new EventNoticeReads(() => void this.readEvent());
  }

  /**
   * Starts every timed read at a random point of its interval, as in a channel whose viewers opened
   * their panels at different times: a window shorter than the slow safety reads still counts them at
   * their steady rate (a little above it: a uniform point of a 0.5–1.5× spread interval).
   */
  start(push: boolean): void {
    this.push = push;
    this.scheduler.setPush(push);
    this.scheduler.start();
    this.catalog.setPush(push);
    this.catalog.noteRead(Date.now() - Math.random() * (push ? CATALOG_REFRESH_PUSH_MS : CATALOG_REFRESH_MS));
    this.catalog.start();
    this.eventTimer = setTimeout(() => void this.readEvent(), Math.random() * nextEventReadMs(null, push));
    this.seasonTimer = setTimeout(() => void this.readSeason(), Math.random() * nextSeasonReadMs(push));
  }

  stop(): void {
    this.stopped = true;
    this.scheduler.stop();
    this.catalog.stop();
    this.eventNotices.stop();
    clearTimeout(this.eventTimer);
    clearTimeout(this.seasonTimer);
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

  private async get(kind: ReadKind, path: string): Promise<Response | null> {
    if (this.measuring) this.requests[this.state][kind]++;
    try {
      const response = await fetch(`${this.api}${path}`, {
        headers: { authorization: `Bearer ${this.token}` },
      });
      if (!response.ok) this.failures.push(`${kind} answered ${response.status}`);
      return response;
    } catch (error) {
      this.failures.push(`${kind}: ${String(error)}`);
      return null;
    }
  }

  /** The event banner's read (as useCurrentEvent): the answer plans the next one. */
  private async readEvent(): Promise<void> {
    clearTimeout(this.eventTimer);
    const response = await this.get('event', '/v1/events/current?yours=true');
    const body = response?.ok ? ((await response.json()) as { event: ChannelEvent | null }) : null;
    if (this.stopped) return;
    this.eventTimer = setTimeout(() => void this.readEvent(), nextEventReadMs(body?.event, this.push));
  }

  private async readSeason(): Promise<void> {
    const response = await this.get('season', '/v1/channel/season?limit=3');
    await response?.arrayBuffer();
    if (this.stopped) return;
    this.seasonTimer = setTimeout(() => void this.readSeason(), nextSeasonReadMs(this.push));
  }

  private async poll(): Promise<PollResult> {
    if (this.measuring) this.requests[this.state].poll++;
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

const sumKinds = (counts: Record<ReadKind, number>) => KINDS.reduce((sum, kind) => sum + counts[kind], 0);

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

interface ScenarioResult {
  scenario: string;
  idlePerMinute: number;
  /** Of idlePerMinute, each kind of read. */
  idleByKind: Record<ReadKind, number>;
  activePerMinute: number;
  activeByKind: Record<ReadKind, number>;
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
        panel.eventNotices.heard(record.message);
      }
    };
    standIn.onPubSub(deliver);
    for (const panel of panels) panel.start(broadcasts);
    await new Promise((resolve) => setTimeout(resolve, WARM_UP_S * 1000));
    for (const panel of panels) panel.measure(true);
    await new Promise((resolve) => setTimeout(resolve, WINDOW_S * 1000));
    for (const panel of panels) {
      panel.measure(false);
      panel.stop();
    }
    const total = (pick: (p: Panel) => number) => panels.reduce((sum, p) => sum + pick(p), 0);
    const minutes = (state: ViewerState) => total((p) => p.ms[state]) / 60_000;
    const byKind = (state: ViewerState) =>
      Object.fromEntries(
        KINDS.map((kind) => [kind, total((p) => p.requests[state][kind]) / minutes(state)]),
      ) as Record<ReadKind, number>;
    const tickToPanel = panels.flatMap((p) => p.tickToPanel);
    const failures = panels.flatMap((p) => p.failures);
    if (failures.length > 0)
      throw new Error(
        `${failures.length} requests failed, the first: ${failures[0]}; the counts would not be the panel's`,
      );
    return {
      scenario: broadcasts ? 'with broadcasts' : 'without broadcasts',
      idlePerMinute: sumKinds(byKind('idle')),
      idleByKind: byKind('idle'),
      activePerMinute: sumKinds(byKind('active')),
      activeByKind: byKind('active'),
      linesPerActiveMinute: tickToPanel.length / minutes('active'),
      tickToPanel,
    };
  } finally {
    for (const panel of panels) panel.stop();
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
        'idle poll/event/season/catalog': KINDS.map((k) => r.idleByKind[k].toFixed(2)).join(' / '),
        'active req/viewer-min': r.activePerMinute.toFixed(2),
        'active poll/event/season/catalog': KINDS.map((k) => r.activeByKind[k].toFixed(2)).join(' / '),
        'tick→panel p50 ms': Math.round(percentile(r.tickToPanel, 50)),
        'tick→panel p95 ms': Math.round(percentile(r.tickToPanel, 95)),
        'tick→panel max ms': Math.round(percentile(r.tickToPanel, 100)),
        'lines/active-min': r.linesPerActiveMinute.toFixed(1),
      })),
    );
    const after = loadavg();
    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ');
    process.stdout.write(
      `${PANELS} panels on the Ranks tab (half idle, half with a solo mission ticking every 5 s; a viewer counts as ` +
        `active while its mission runs; no channel event open) on one channel, ${WINDOW_S} s each; ` +
        `PubSub messages sent: ${standIn.pubsub.length}; load average before ${load(before)}, after ${load(after)}\n`,
    );
  } finally {
    await standIn.stop();
  }
}

if (process.argv.includes('--serve')) await serve();
else await main();
