import { Redis } from 'ioredis';
import { type Config, ConfigError, DEVELOPMENT_EXTENSION_SECRET } from './config.js';

/** How long the guard keeps trying to reach Redis before it gives up, in ms. @default 10000 */
export const DEFAULT_REDIS_PROBE_TIMEOUT_MS = 10_000;
const PROBE_RETRY_MS = 500;

export interface ProductionGuardOptions {
  /** How long to keep trying to reach Redis, in ms. @default 10000 */
  redisProbeTimeoutMs?: number;
}

/** What an anonymous client gets from Redis: a reply (open), a refusal (closed), or nothing. */
export type AnonymousAccess = 'open' | 'closed' | { unreachable: string };

/**
 * Connects to Redis with no credentials at all and sends PING. A PONG means anyone who can reach
 * the port can read and write every key; NOAUTH or NOPERM means the default user is off or locked down.
 */
export async function probeAnonymousRedis(
  redisUrl: string,
  timeoutMs = DEFAULT_REDIS_PROBE_TIMEOUT_MS,
): Promise<AnonymousAccess> {
  const configured = new URL(redisUrl);
  // Only the address and the transport: no user, no password, no database number.
  const anonymous = `${configured.protocol}//${configured.host}`;
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  for (;;) {
    const redis = new Redis(anonymous, {
      // RESP2: a RESP3 client opens with HELLO, which an auth-only server refuses before any PING.
      protocol: 2,
      lazyConnect: true,
      enableReadyCheck: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: Math.max(1, Math.min(5_000, deadline - Date.now())),
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
      return 'open';
    } catch (error) {
      const message = (error as Error).message;
      if (/NOAUTH|NOPERM|WRONGPASS/.test(message)) return 'closed';
      lastError = message;
    } finally {
      redis.disconnect();
    }
    if (Date.now() + PROBE_RETRY_MS >= deadline) return { unreachable: lastError };
    await new Promise((resolve) => setTimeout(resolve, PROBE_RETRY_MS));
  }
}

function hostOf(url: string): string {
  return new URL(url).host;
}

/**
 * With NODE_ENV=production, refuses to start (ConfigError: one message naming every problem, exit
 * code 2) on a setup that is only fit for development. Does nothing in development and test.
 */
export async function assertProductionSafe(
  config: Config,
  options: ProductionGuardOptions = {},
): Promise<void> {
  if (config.NODE_ENV !== 'production') return;
  const problems: string[] = [];
  if (!config.DATABASE_URL) {
    problems.push('DATABASE_URL is not set: the embedded PGlite database is for development only');
  }
  if (!config.REDIS_URL) {
    problems.push(
      'REDIS_URL is not set: the in-process store serves one process only and loses its state on exit',
    );
  }
  if (config.TWITCH_EXTENSION_SECRET === DEVELOPMENT_EXTENSION_SECRET) {
    problems.push(
      'TWITCH_EXTENSION_SECRET is not set or is the development secret: set the secret from the Twitch developer console',
    );
  }
  if (config.HOLDOUT_DEV_TOKENS) {
    problems.push('HOLDOUT_DEV_TOKENS is on: anyone could mint a viewer token; unset it or set it to false');
  }
  if (config.REDIS_URL) {
    const access = await probeAnonymousRedis(
      config.REDIS_URL,
      options.redisProbeTimeoutMs ?? DEFAULT_REDIS_PROBE_TIMEOUT_MS,
    );
    if (access === 'open') {
      problems.push(
        `Redis at ${hostOf(config.REDIS_URL)} accepts clients without a password: turn the default user off ` +
          '(deploy/redis/users.acl) and put the holdout user in REDIS_URL',
      );
    } else if (access !== 'closed') {
      problems.push(
        `Redis at ${hostOf(config.REDIS_URL)} could not be reached to check that it requires a password ` +
          `(${access.unreachable})`,
      );
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(
      `Refusing to start with NODE_ENV=production:\n${problems.map((problem) => `  ${problem}`).join('\n')}`,
    );
  }
}
