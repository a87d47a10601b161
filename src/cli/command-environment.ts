/*
 * What `holdout serve|api|worker|migrate --help` say about the environment: which variables the
 * command reads and which it cannot start without. Every variable is in the README's Configuration
 * table with its default; test/cli/cli-help.test.ts keeps the two in step.
 */

type Need = 'required' | 'required in production' | 'optional';

/** One line per variable: what it is for, as short as the README's table says it. */
const MEANING: Record<string, string> = {
  NODE_ENV: 'production refuses an unsafe setup (development)',
  HOST: 'address the HTTP server binds (127.0.0.1; 0.0.0.0 in a container)',
  PORT: 'HTTP port (8080)',
  LOG_LEVEL: 'fatal … trace, or silent (info)',
  DATABASE_URL: 'postgres:// URL; unset: embedded PGlite in HOLDOUT_DATA_DIR',
  HOLDOUT_DATA_DIR: 'where embedded data is kept (./.holdout)',
  REDIS_URL: 'redis:// or rediss:// URL, or redis-cluster://host:port,...; unset: in-process store',
  REDIS_CLUSTER_NODES: 'host:port,host:port of Redis Cluster nodes, instead of REDIS_URL',
  REDIS_KEY_PREFIX: 'prepended to every Redis key',
  REDIS_SCHEDULE_SHARDS: 'schedule shards missions are spread over; the same in every process (1)',
  TWITCH_EXTENSION_SECRET: 'the extension secret from the Twitch console, base64',
  TWITCH_CLIENT_ID: "the extension's client id",
  TWITCH_OWNER_ID: "the extension owner's user id; set: PubSub broadcasts and extension chat",
  TWITCH_CLIENT_SECRET: "the extension's client secret (app token: display names, Bits reconcile)",
  TWITCH_EXTENSION_VERSION: 'the released extension version, sent with chat messages (0.0.1)',
  TWITCH_API_URL: "Twitch's Helix base URL (https://api.twitch.tv/helix)",
  TWITCH_AUTH_URL: "Twitch's OAuth base URL (https://id.twitch.tv/oauth2)",
  HOLDOUT_DEV_TOKENS: 'development tokens and the local play page (off in production)',
  TICK_INTERVAL_MS: 'time between two ticks of a mission (5000)',
  WORKER_POLL_MS: 'how often a worker looks for due missions (150)',
  WORKER_BATCH_SIZE: 'most missions one worker claims per poll (1000)',
  LOCK_TTL_MS: 'how long a claimed mission stays locked (5000)',
  OUTBOX_MAX_DEPTH: 'outbox entries past which workers stop claiming',
  FLUSHER_BATCH_SIZE: 'outbox entries written to mission_logs per statement',
  OUTBOX_RECLAIM_IDLE_MS: "when a dead flusher's outbox entries are taken over",
  RECONCILE_INTERVAL_MS: 'how often Redis is compared with Postgres (60000)',
  PARTITIONS_AHEAD_MONTHS: 'mission_logs partitions kept ready ahead (3)',
  WORKER_METRICS_PORT: 'serve /metrics and /healthz on this port',
  METRICS_PORT: 'serve /metrics on this port, not the API port (production: unset, no metrics)',
  METRICS_HOST: 'address the metrics listener binds (HOST)',
  RATE_LIMIT_WINDOW_MS: 'window of the rate limits (60000)',
  RATE_LIMIT_POLL: 'polls per viewer per window (120)',
  RATE_LIMIT_READ: 'reads per viewer per window and endpoint (60)',
  RATE_LIMIT_WRITE: 'writes per viewer per window and endpoint (20)',
  API_BODY_LIMIT_BYTES: 'largest request body (8192)',
  RATE_LIMIT_NEW_TOKENS_PER_IP: 'new tokens verified per client address per window',
  TRUST_PROXY_HOPS: 'proxies in front whose X-Forwarded-For is believed (0)',
  HTTP_REQUEST_TIMEOUT_MS: 'longest a request may take to arrive',
  HTTP_HEADERS_TIMEOUT_MS: "longest a request's headers may take to arrive",
  HTTP_KEEP_ALIVE_TIMEOUT_MS: 'how long an idle connection is kept open',
  LOBBY_IDLE_TTL_MS: 'an untouched lobby expires after this (600000)',
  VIEWER_CACHE_TTL_MS: "how long a viewer's roster stays cached (600000)",
};

const STORES = [
  'DATABASE_URL',
  'HOLDOUT_DATA_DIR',
  'REDIS_URL',
  'REDIS_CLUSTER_NODES',
  'REDIS_KEY_PREFIX',
  'REDIS_SCHEDULE_SHARDS',
];
const GUARDED = ['NODE_ENV', 'TWITCH_EXTENSION_SECRET', 'HOLDOUT_DEV_TOKENS', 'LOG_LEVEL'];
/** The Twitch platform's calls: every process that serves or ticks sends PubSub broadcasts. */
const TWITCH = [
  'TWITCH_CLIENT_ID',
  'TWITCH_OWNER_ID',
  'TWITCH_CLIENT_SECRET',
  'TWITCH_EXTENSION_VERSION',
  'TWITCH_API_URL',
  'TWITCH_AUTH_URL',
];
const HTTP = [
  'HOST',
  'PORT',
  'METRICS_PORT',
  'METRICS_HOST',
  'TWITCH_CLIENT_ID',
  'API_BODY_LIMIT_BYTES',
  'TRUST_PROXY_HOPS',
  'HTTP_REQUEST_TIMEOUT_MS',
  'HTTP_HEADERS_TIMEOUT_MS',
  'HTTP_KEEP_ALIVE_TIMEOUT_MS',
];
const API = [
  'RATE_LIMIT_NEW_TOKENS_PER_IP',
  'RATE_LIMIT_WINDOW_MS',
  'RATE_LIMIT_POLL',
  'RATE_LIMIT_READ',
  'RATE_LIMIT_WRITE',
  'LOBBY_IDLE_TTL_MS',
  'VIEWER_CACHE_TTL_MS',
];
const ENGINE = [
  'TICK_INTERVAL_MS',
  'WORKER_POLL_MS',
  'WORKER_BATCH_SIZE',
  'LOCK_TTL_MS',
  'OUTBOX_MAX_DEPTH',
  'FLUSHER_BATCH_SIZE',
  'OUTBOX_RECLAIM_IDLE_MS',
  'RECONCILE_INTERVAL_MS',
  'PARTITIONS_AHEAD_MONTHS',
];

/** What each command reads, and what it needs; unlisted variables of a command are optional. */
export const COMMAND_ENVIRONMENT: Record<string, { reads: string[]; needs: Record<string, Need> }> = {
  serve: {
    reads: [...GUARDED, ...STORES, ...HTTP, ...API, ...ENGINE, ...TWITCH],
    needs: {
      DATABASE_URL: 'required in production',
      REDIS_URL: 'required in production',
      TWITCH_EXTENSION_SECRET: 'required in production',
    },
  },
  api: {
    reads: [...GUARDED, ...STORES, ...HTTP, ...API, ...TWITCH, 'TICK_INTERVAL_MS', 'PARTITIONS_AHEAD_MONTHS'],
    needs: {
      REDIS_URL: 'required',
      DATABASE_URL: 'required in production',
      TWITCH_EXTENSION_SECRET: 'required in production',
    },
  },
  worker: {
    reads: [...GUARDED, ...STORES, ...ENGINE, ...TWITCH, 'WORKER_METRICS_PORT', 'METRICS_HOST', 'HOST'],
    needs: {
      REDIS_URL: 'required',
      DATABASE_URL: 'required in production',
      TWITCH_EXTENSION_SECRET: 'required in production',
    },
  },
  migrate: {
    reads: ['DATABASE_URL', 'HOLDOUT_DATA_DIR', 'PARTITIONS_AHEAD_MONTHS'],
    needs: { DATABASE_URL: 'required in production' },
  },
};

/** The "Environment:" section of a command's help, or undefined for commands that list none. */
export function describeEnvironment(command: string): string | undefined {
  const entry = COMMAND_ENVIRONMENT[command];
  if (!entry) return undefined;
  const rank = (name: string) => ['required', 'required in production', 'optional'].indexOf(need(name));
  const need = (name: string): Need => entry.needs[name] ?? 'optional';
  const names = [...new Set(entry.reads)].sort((a, b) => rank(a) - rank(b));
  const width = Math.max(...names.map((name) => name.length));
  const lines = names.map((name) => {
    const tag = need(name) === 'optional' ? '' : `[${need(name)}] `;
    return `  ${name.padEnd(width)}  ${tag}${MEANING[name] ?? ''}`;
  });
  return [
    'Environment (read at start; a bad value stops it with exit code 2; defaults: README, Configuration):',
    ...lines,
  ].join('\n');
}
