import { Redis } from 'ioredis';
import { type Config, ConfigError, DEVELOPMENT_EXTENSION_SECRET } from './config.js';
import { firstNodeUrl } from './ephemeral/cluster-url.js';
import { keyNames } from './ephemeral/keys.js';

/** How long the guard keeps trying to reach Redis before it gives up, in ms. @default 10000 */
export const DEFAULT_REDIS_PROBE_TIMEOUT_MS = 10_000;
const PROBE_RETRY_MS = 500;

export interface ProductionGuardOptions {
  /** How long to keep trying to reach Redis, in ms. @default 10000 */
  redisProbeTimeoutMs?: number;
  /**
   * A Redis that cannot be reached: `'refuse'` the start (one-shot commands), or `'defer'` its check
   * (long-running processes, which must come up while a store is down). @default 'refuse'
   */
  unreachableRedis?: 'refuse' | 'defer';
}

/** What an anonymous client gets from Redis: a reply (open), a refusal (closed), or nothing. */
export type AnonymousAccess = 'open' | 'closed' | { unreachable: string };

/** Bytes a production extension secret has at least, once base64-decoded (Twitch's have 32). */
export const MIN_SECRET_BYTES = 32;

const DENIED = /NOAUTH|NOPERM|WRONGPASS/;

/** Whether Redis refused `command` to an anonymous client (rather than answered, or failed otherwise). */
async function denied(command: Promise<unknown>): Promise<boolean> {
  try {
    await command;
    return false;
  } catch (error) {
    const message = (error as Error).message;
    if (DENIED.test(message)) return true;
    // Any other reply (WRONGTYPE, an unknown subcommand) still means the command was let through.
    if ((error as { command?: unknown }).command !== undefined) return false;
    throw error;
  }
}

/**
 * Connects to Redis with no credentials at all and tries what an intruder would: a harmless read of a
 * Holdout key and `CONFIG GET`. `closed` only when both are refused (NOAUTH, NOPERM): a default user
 * that may not PING but may read keys or change the server is still open to anyone on the network.
 */
export async function probeAnonymousRedis(
  redisUrl: string,
  timeoutMs = DEFAULT_REDIS_PROBE_TIMEOUT_MS,
  /** REDIS_KEY_PREFIX: the probe reads a key Holdout really uses. */
  prefix = '',
): Promise<AnonymousAccess> {
  // A cluster is probed at its first seed node: a node refuses or runs a command before redirecting it.
  const configured = new URL(firstNodeUrl(redisUrl));
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
      const readDenied = await denied(redis.get(keyNames(prefix).reconcileMarker));
      const configDenied = await denied(redis.config('GET', 'maxmemory'));
      return readDenied && configDenied ? 'closed' : 'open';
    } catch (error) {
      const message = (error as Error).message;
      if (DENIED.test(message)) return 'closed';
      lastError = message;
    } finally {
      redis.disconnect();
    }
    if (Date.now() + PROBE_RETRY_MS >= deadline) return { unreachable: lastError };
    await new Promise((resolve) => setTimeout(resolve, PROBE_RETRY_MS));
  }
}

function hostOf(url: string): string {
  return new URL(firstNodeUrl(url)).host;
}

/** What the guard says about Redis when Redis could not be reached in time. */
export function unreachableRedisProblem(redisUrl: string, reason: string): string {
  return `Redis at ${hostOf(redisUrl)} could not be reached to check that it requires a password (${reason})`;
}

/** The problem an anonymous-access answer means, or null when Redis is closed to anonymous clients. */
export function redisAccessProblem(redisUrl: string, access: AnonymousAccess): string | null {
  if (access === 'closed') return null;
  if (access === 'open') {
    return (
      `Redis at ${hostOf(redisUrl)} accepts clients without a password: turn the default user off ` +
      '(deploy/redis/users.acl) and put the holdout user in REDIS_URL'
    );
  }
  return unreachableRedisProblem(redisUrl, access.unreachable);
}

/** Throws the guard's refusal: one message naming every problem (exit code 2 through the CLI). */
export function productionRefusal(problems: string[]): ConfigError {
  return new ConfigError(
    `Refusing to start with NODE_ENV=production:\n${problems.map((problem) => `  ${problem}`).join('\n')}`,
  );
}

/** The problems of a production configuration that need no connection to find. */
function configurationProblems(config: Config): string[] {
  const problems: string[] = [];
  if (!config.DATABASE_URL) {
    problems.push('DATABASE_URL is not set: the embedded PGlite database is for development only');
  }
  if (!config.REDIS_URL) {
    problems.push(
      'REDIS_URL is not set: the in-process store serves one process only and loses its state on exit',
    );
  }
  // Decoded bytes, not text: base64 decoding forgives a missing `=` and the unused bits of the last
  // character, so the development secret has many spellings.
  const secret = Buffer.from(config.TWITCH_EXTENSION_SECRET, 'base64');
  if (secret.equals(Buffer.from(DEVELOPMENT_EXTENSION_SECRET, 'base64'))) {
    problems.push(
      'TWITCH_EXTENSION_SECRET is not set or is the development secret: set the secret from the Twitch developer console',
    );
  } else if (secret.length < MIN_SECRET_BYTES) {
    problems.push(
      `TWITCH_EXTENSION_SECRET decodes to ${secret.length} bytes: a production secret has at least ` +
        `${MIN_SECRET_BYTES} random bytes (the Twitch developer console's has 32)`,
    );
  }
  if (config.HOLDOUT_DEV_TOKENS) {
    problems.push('HOLDOUT_DEV_TOKENS is on: anyone could mint a viewer token; unset it or set it to false');
  }
  return problems;
}

/**
 * `checked`: nothing to check (development, test) or every check passed. `redis-unchecked`: with
 * `unreachableRedis: 'defer'`, everything passed but Redis could not be reached to be checked; the
 * caller must check it once Redis answers (RedisPasswordCheck) before it counts itself ready.
 */
export type GuardVerdict = 'checked' | 'redis-unchecked';

/**
 * With NODE_ENV=production, refuses to start (ConfigError: one message naming every problem, exit
 * code 2) on a setup that is only fit for development. Does nothing in development and test.
 */
export async function assertProductionSafe(
  config: Config,
  options: ProductionGuardOptions = {},
): Promise<GuardVerdict> {
  if (config.NODE_ENV !== 'production') return 'checked';
  const problems = configurationProblems(config);
  let verdict: GuardVerdict = 'checked';
  if (config.REDIS_URL) {
    const access = await probeAnonymousRedis(
      config.REDIS_URL,
      options.redisProbeTimeoutMs ?? DEFAULT_REDIS_PROBE_TIMEOUT_MS,
      config.REDIS_KEY_PREFIX,
    );
    const problem = redisAccessProblem(config.REDIS_URL, access);
    // Unreachable is no verdict on Redis: a long-running process starts and checks it when it answers.
    if (problem && typeof access === 'object' && options.unreachableRedis === 'defer') {
      verdict = 'redis-unchecked';
    } else if (problem) {
      problems.push(problem);
    }
  }
  if (problems.length > 0) throw productionRefusal(problems);
  return verdict;
}
