import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { Registry } from 'prom-client';
import { signTwitchToken, type TwitchRole } from '../../src/api/auth/twitch-jwt.js';
import { type BuildAppOptions, buildApp } from '../../src/api/build-app.js';
import { silentAnnouncer } from '../../src/channel-announcer.js';
import { loadConfig } from '../../src/config.js';
import { loadContent } from '../../src/content/index.js';
import type { Database } from '../../src/durable/database.js';
import { migrate } from '../../src/durable/migrator.js';
import { ensureMonthlyPartitions } from '../../src/durable/partitions.js';
import { PgDatabase } from '../../src/durable/pg-database.js';
import { PgliteDatabase } from '../../src/durable/pglite-database.js';
import { DEFAULT_ENGINE_OPTIONS, type RunningEngine, startEngine } from '../../src/engine/engine.js';
import type { EphemeralStore } from '../../src/ephemeral/ephemeral-store.js';
import { RedisStore } from '../../src/ephemeral/redis-store.js';
import { createLogger, type Logger } from '../../src/logger.js';
import type { Runtime } from '../../src/runtime.js';
import { broadcastsEnabled } from '../../src/twitch/broadcasts-enabled.js';
import {
  type RunningTwitchServices,
  startTwitchServices,
  type TwitchServicesOptions,
} from '../../src/twitch/twitch-services.js';
import { TestMemoryStore } from '../support/ephemeral-test-access.js';
import { createTestDatabase, deleteKeysWithPrefix, TEST_REDIS_URL, uniqueName } from '../support/services.js';

export type Backend = 'real' | 'embedded';

export interface Caller {
  opaqueUserId: string;
  token: string;
  channelId: string;
}

export interface ApiFixture {
  app: FastifyInstance;
  runtime: Runtime;
  db: Database;
  store: EphemeralStore;
  prefix: string;
  /** The process's Twitch services, when Twitch is configured (a stand-in's env). */
  twitch: RunningTwitchServices | null;
  /** A viewer with a token signed by the configured secret. */
  viewer(options?: {
    opaqueUserId?: string;
    channelId?: string;
    role?: TwitchRole;
    /** The viewer shared their identity: the token carries this Twitch user id. */
    twitchUserId?: string;
  }): Promise<Caller>;
  /** app.inject with the caller's token and a JSON body. */
  call(
    caller: Caller | null,
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

let viewerCounter = 0;

export interface FixtureOptions extends BuildAppOptions {
  /** Run the tick engine (worker, flusher, reconciler) in the process. @default false */
  engine?: boolean;
  /** @default a silent logger */
  logger?: Logger;
  /** Real backend: reach Postgres and Redis through these local ports (test/support/tcp-proxy.ts). */
  connectThrough?: { postgresPort?: number; redisPort?: number };
  /** Options of the process's Twitch services (when Twitch is configured). */
  twitch?: TwitchServicesOptions;
}

function throughPort(url: string, port: number | undefined): string {
  if (port === undefined) return url;
  const parsed = new URL(url);
  parsed.host = `127.0.0.1:${port}`;
  return parsed.toString();
}

/** Milliseconds between ticks when a test runs the engine: short, so a mission ends in about a second. */
export const TEST_TICK_INTERVAL_MS = 50;

/**
 * Per-viewer budgets far above production's (60 reads, 20 writes, 120 polls a minute): tests wait for
 * a tick by reading a route every 20-50 ms, and a wait that runs past the budget on a loaded machine was
 * refused with 429 until the fixed window ended, 60 s later. That is what made a channel event seem to
 * take a minute to end (its server log showed it ended in 1.5 s; api.read-budget.test.ts). Tests of the
 * limits set their own budgets, which take precedence.
 */
export const TEST_RATE_LIMITS = {
  RATE_LIMIT_POLL: '1000000',
  RATE_LIMIT_READ: '1000000',
  RATE_LIMIT_WRITE: '1000000',
} as const;

export async function openApiFixture(
  backend: Backend,
  env: NodeJS.ProcessEnv = {},
  options: FixtureOptions = {},
): Promise<ApiFixture> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...TEST_RATE_LIMITS, ...env });
  const logger = options.logger ?? createLogger('silent');
  const prefix = `${uniqueName('api')}:`;
  let db: Database;
  let store: EphemeralStore;
  let drop = async () => {};
  if (backend === 'real') {
    const database = await createTestDatabase();
    const through = options.connectThrough ?? {};
    db = new PgDatabase({ connectionString: throughPort(database.url, through.postgresPort) });
    store = new RedisStore({ url: throughPort(TEST_REDIS_URL, through.redisPort), keyPrefix: prefix });
    drop = async () => {
      await database.drop();
      await deleteKeysWithPrefix(prefix);
    };
  } else {
    db = await PgliteDatabase.open(undefined);
    store = new TestMemoryStore({ keyPrefix: prefix });
  }
  await migrate(db);
  await ensureMonthlyPartitions(db, new Date(), 1);
  const runtime: Runtime = {
    config,
    logger,
    db,
    store,
    registry: new Registry(),
    announcer: silentAnnouncer,
    async close() {
      await Promise.allSettled([store.close(), db.close()]);
    },
  };
  const {
    engine: withEngine = false,
    logger: _logger,
    connectThrough: _through,
    twitch: _twitch,
    ...appOptions
  } = options;
  const app = await buildApp(runtime, { sweepLobbies: false, ...appOptions });
  await app.ready();
  let engine: RunningEngine | null = null;
  // With Twitch configured (a stand-in's env), this process sends PubSub broadcasts and fetches names.
  const twitch: RunningTwitchServices | null =
    broadcastsEnabled(config) || config.TWITCH_CLIENT_SECRET !== undefined
      ? startTwitchServices(runtime, options.twitch)
      : null;
  if (withEngine) {
    engine = await startEngine(
      {
        db,
        store,
        logger,
        content: loadContent(),
        tickIntervalMs: config.TICK_INTERVAL_MS,
        ...(broadcastsEnabled(config) ? { broadcasts: store.broadcasts } : {}),
      },
      {
        ...DEFAULT_ENGINE_OPTIONS,
        worker: { ...DEFAULT_ENGINE_OPTIONS.worker, pollIntervalMs: 20 },
        drainTimeoutMs: 1_000,
      },
    );
  }
  return {
    app,
    runtime,
    db,
    store,
    prefix,
    twitch,
    async viewer({ opaqueUserId, channelId = '1000', role = 'viewer', twitchUserId } = {}) {
      const id = opaqueUserId ?? `Utest${process.pid}x${++viewerCounter}`;
      const token = await signTwitchToken(config.TWITCH_EXTENSION_SECRET, {
        opaqueUserId: id,
        channelId,
        role,
        twitchUserId: twitchUserId ?? null,
      });
      return { opaqueUserId: id, token, channelId };
    },
    call(caller, method, url, body, headers = {}) {
      return app.inject({
        method,
        url,
        headers: {
          ...(caller ? { authorization: `Bearer ${caller.token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
    },
    async close() {
      await app.close();
      await engine?.stop();
      await twitch?.stop();
      await runtime.close();
      await drop();
    },
  };
}
