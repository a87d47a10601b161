import { isIP } from 'node:net';
import { z } from 'zod';
import { DEFAULT_PARTITIONS_AHEAD } from './durable/partitions.js';
import {
  DEFAULT_FLUSHER_BATCH_SIZE,
  DEFAULT_LOCK_TTL_MS,
  DEFAULT_OUTBOX_MAX_DEPTH,
  DEFAULT_OUTBOX_RECLAIM_IDLE_MS,
  DEFAULT_RECONCILE_INTERVAL_MS,
  DEFAULT_WORKER_BATCH_SIZE,
  DEFAULT_WORKER_POLL_MS,
} from './engine/engine-defaults.js';
import { clusterUrlOfNodes, isClusterUrl, parseClusterUrl } from './ephemeral/cluster-url.js';
import { DEFAULT_SCHEDULE_SHARDS, MAX_SCHEDULE_SHARDS } from './ephemeral/keys.js';

/** Whether `check` returns truthy without throwing. */
function safely(check: () => unknown): boolean {
  try {
    return Boolean(check());
  } catch {
    return false;
  }
}

/** Milliseconds between two ticks of a mission in production. */
export const DEFAULT_TICK_INTERVAL_MS = 5_000;
/** The development secret: refused in production. Base64 of "holdout-development-secret". */
export const DEVELOPMENT_EXTENSION_SECRET = Buffer.from('holdout-development-secret').toString('base64');

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = (min: number, max: number) =>
  z.coerce
    .number({ error: 'expected a whole number' })
    .int({ error: 'expected a whole number' })
    .min(min, { error: `expected at least ${min}` })
    .max(max, { error: `expected at most ${max}` });

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { error: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

const base64Secret = z
  .string()
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: 'expected a base64 string (the secret from the Twitch console)' })
  .refine((value) => Buffer.from(value, 'base64').length >= 16, {
    error: 'expected at least 16 bytes once base64-decoded',
  });

/** An address to bind: an IPv4 or IPv6 literal, or a host name (no scheme, no port). */
const bindAddress = z
  .string()
  .refine(
    (value) =>
      isIP(value) !== 0 ||
      /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(
        value,
      ),
    { error: 'expected an IP address or host name to bind, without scheme or port (e.g. 10.0.0.5)' },
  );

/** Every environment variable Holdout reads, with its default. The README lists the same. */
const environmentSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], { error: 'expected development, production or test' })
    .default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: positiveInt(0, 65_535).default(8080),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'expected fatal, error, warn, info, debug, trace or silent',
    })
    .default('info'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  HOLDOUT_DATA_DIR: z.string().min(1).default('./.holdout'),
  REDIS_URL: z
    .string()
    .refine(
      (value) => {
        if (isClusterUrl(value)) return safely(() => parseClusterUrl(value));
        return safely(() => ['redis:', 'rediss:'].includes(new URL(value).protocol));
      },
      { error: 'expected a URL starting with redis:// or rediss://, or redis-cluster://host:port,host:port' },
    )
    .optional(),
  REDIS_CLUSTER_NODES: z
    .string()
    .refine((value) => safely(() => clusterUrlOfNodes(value)), {
      error: 'expected host:port of Redis Cluster nodes, separated by commas',
    })
    .optional(),
  REDIS_SCHEDULE_SHARDS: positiveInt(1, MAX_SCHEDULE_SHARDS).default(DEFAULT_SCHEDULE_SHARDS),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:.-]*$/, { error: 'expected letters, digits and _ : . - only' })
    .default(''),
  TWITCH_EXTENSION_SECRET: base64Secret.default(DEVELOPMENT_EXTENSION_SECRET),
  TWITCH_CLIENT_ID: z
    .string()
    .regex(/^[a-z0-9]+$/, { error: 'expected the lowercase alphanumeric client id of the extension' })
    .default('holdoutdev'),
  HOLDOUT_DEV_TOKENS: booleanFlag.optional(),
  // Twitch platform (src/twitch): base URLs are configuration so that tests run against a stand-in.
  TWITCH_API_URL: url(['https:', 'http:']).default('https://api.twitch.tv/helix'),
  TWITCH_AUTH_URL: url(['https:', 'http:']).default('https://id.twitch.tv/oauth2'),
  TWITCH_OWNER_ID: z
    .string()
    .regex(/^[0-9]{1,32}$/, { error: "expected the numeric Twitch user id of the extension's owner" })
    .optional(),
  TWITCH_CLIENT_SECRET: z.string().min(1).optional(),
  TWITCH_EXTENSION_VERSION: z
    .string()
    .regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, { error: 'expected the extension version, e.g. 1.0.0' })
    .default('0.0.1'),
  TICK_INTERVAL_MS: positiveInt(50, 600_000).default(DEFAULT_TICK_INTERVAL_MS),
  WORKER_POLL_MS: positiveInt(5, 10_000).default(DEFAULT_WORKER_POLL_MS),
  WORKER_BATCH_SIZE: positiveInt(1, 10_000).default(DEFAULT_WORKER_BATCH_SIZE),
  LOCK_TTL_MS: positiveInt(100, 600_000).default(DEFAULT_LOCK_TTL_MS),
  OUTBOX_MAX_DEPTH: positiveInt(1, 100_000_000).optional(),
  FLUSHER_BATCH_SIZE: positiveInt(1, 50_000).default(DEFAULT_FLUSHER_BATCH_SIZE),
  OUTBOX_RECLAIM_IDLE_MS: positiveInt(100, 3_600_000).default(DEFAULT_OUTBOX_RECLAIM_IDLE_MS),
  RECONCILE_INTERVAL_MS: positiveInt(100, 86_400_000).default(DEFAULT_RECONCILE_INTERVAL_MS),
  HOLDOUT_FAULT_COMMIT_DELAY_MS: positiveInt(0, 60_000).default(0),
  HOLDOUT_FAULT_COMPLETION_DELAY_MS: positiveInt(0, 60_000).default(0),
  PARTITIONS_AHEAD_MONTHS: positiveInt(1, 24).default(DEFAULT_PARTITIONS_AHEAD),
  WORKER_METRICS_PORT: positiveInt(0, 65_535).optional(),
  // Prometheus' own listener for `api` and `serve`, apart from the public API port.
  METRICS_PORT: positiveInt(0, 65_535).optional(),
  METRICS_HOST: bindAddress.optional(),
  // API (src/api): rate-limit budgets are requests per window, per viewer and endpoint.
  RATE_LIMIT_WINDOW_MS: positiveInt(1_000, 3_600_000).default(60_000),
  RATE_LIMIT_POLL: positiveInt(1, 1_000_000).default(120),
  RATE_LIMIT_READ: positiveInt(1, 1_000_000).default(60),
  RATE_LIMIT_WRITE: positiveInt(1, 1_000_000).default(20),
  API_BODY_LIMIT_BYTES: positiveInt(256, 1_048_576).default(8_192),
  // Tokens never seen before, per client address and window: each costs a full verification.
  RATE_LIMIT_NEW_TOKENS_PER_IP: positiveInt(1, 1_000_000).default(120),
  // Proxies in front of the API whose X-Forwarded-For is believed (0: none; the client is the peer).
  TRUST_PROXY_HOPS: positiveInt(0, 16).default(0),
  // HTTP timeouts (ms): a whole request, its headers, and an idle keep-alive connection.
  HTTP_REQUEST_TIMEOUT_MS: positiveInt(1_000, 600_000).default(10_000),
  HTTP_HEADERS_TIMEOUT_MS: positiveInt(1_000, 600_000).default(5_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt(1_000, 600_000).default(72_000),
  LOBBY_IDLE_TTL_MS: positiveInt(1_000, 86_400_000).default(600_000),
  VIEWER_CACHE_TTL_MS: positiveInt(1_000, 86_400_000).default(600_000),
  HOLDOUT_ARCHIVE_DIR: z.string().min(1, { error: 'expected a folder path' }).default('./.holdout/archive'),
});

export type Environment = z.infer<typeof environmentSchema>;

export interface Config
  extends Omit<Environment, 'HOLDOUT_DEV_TOKENS' | 'OUTBOX_MAX_DEPTH' | 'METRICS_HOST'> {
  /** Whether POST /dev/token and the local play page exist. Off in production. */
  HOLDOUT_DEV_TOKENS: boolean;
  /** Outbox entries past which workers stop claiming. @default about 60 s of ticks at 20,000 ticks/s */
  OUTBOX_MAX_DEPTH: number;
  /** Where the metrics listeners bind (METRICS_PORT, WORKER_METRICS_PORT). @default HOST */
  METRICS_HOST: string;
}

/** Raised for an environment that cannot run; its message names every variable and what is expected. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set": shells and .env files often leave VAR= behind.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? 'environment');
      const got = env[variable];
      const shown =
        got === undefined ? '' : ` (got ${JSON.stringify(got.length > 60 ? `${got.slice(0, 60)}…` : got)})`;
      return `  ${variable}: ${issue.message}${shown}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const values = parsed.data;
  if (values.REDIS_CLUSTER_NODES !== undefined) {
    if (values.REDIS_URL !== undefined) {
      throw new ConfigError(
        'Invalid configuration:\n  REDIS_CLUSTER_NODES: set REDIS_URL or REDIS_CLUSTER_NODES, not both (a cluster with a password: REDIS_URL=redis-cluster://user:password@host:port,...)',
      );
    }
    values.REDIS_URL = clusterUrlOfNodes(values.REDIS_CLUSTER_NODES);
  }
  const production = values.NODE_ENV === 'production';
  if (values.HTTP_HEADERS_TIMEOUT_MS > values.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      'Invalid configuration:\n  HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS (headers are part of the request)',
    );
  }
  if (values.METRICS_PORT !== undefined && values.METRICS_PORT !== 0 && values.METRICS_PORT === values.PORT) {
    throw new ConfigError(
      `Invalid configuration:\n  METRICS_PORT: must differ from PORT (${values.PORT}): metrics on the API's port would be public`,
    );
  }
  for (const knob of ['HOLDOUT_FAULT_COMMIT_DELAY_MS', 'HOLDOUT_FAULT_COMPLETION_DELAY_MS'] as const) {
    if (production && values[knob] > 0) {
      throw new ConfigError(`Invalid configuration:\n  ${knob}: a chaos-testing knob, refused in production`);
    }
  }
  return {
    ...values,
    HOLDOUT_DEV_TOKENS: values.HOLDOUT_DEV_TOKENS ?? !production,
    OUTBOX_MAX_DEPTH: values.OUTBOX_MAX_DEPTH ?? DEFAULT_OUTBOX_MAX_DEPTH,
    METRICS_HOST: values.METRICS_HOST ?? values.HOST,
  };
}
