import type { DatabasePreparation } from '../database-preparation.js';
import type { Database } from '../durable/database.js';
import { pendingMigrations, pingDatabase } from '../durable/migrator.js';
import type { EphemeralConnection } from '../ephemeral/ephemeral-store.js';
import type { Logger } from '../logger.js';
import type { RedisPasswordCheck } from '../redis-password-check.js';

/** What /readyz can name as missing. */
export type Dependency = 'postgres' | 'migrations' | 'redis';

export interface Readiness {
  ready: boolean;
  /** The dependencies that failed their check, in this order: postgres, migrations, redis. */
  down: Dependency[];
}

export interface ReadinessProbeOptions {
  /** How long one answer is reused, in ms: a burst of probes costs the stores one check. @default 1000 */
  cacheMs?: number;
  /** How long one check may wait for a store, in ms. @default 2000 */
  timeoutMs?: number;
}

const DEFAULT_CACHE_MS = 1_000;
const DEFAULT_TIMEOUT_MS = 2_000;

class CheckTimeoutError extends Error {
  override readonly name = 'CheckTimeoutError';
}

async function withTimeout(probe: () => Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([probe(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether this process's dependencies are usable, answered from a result at most `cacheMs` old
 * (concurrent callers share one check). Why a check failed (addresses, error texts) goes to the log
 * when a dependency goes down or comes back, never into the answer: /readyz may be reachable by
 * anyone who can reach the port.
 */
export class ReadinessProbe {
  private last: { at: number; readiness: Readiness } | null = null;
  private inFlight: Promise<Readiness> | null = null;
  private readonly down = new Set<Dependency>();

  constructor(
    private readonly deps: {
      db: Database;
      store: Pick<EphemeralConnection, 'ping'>;
      preparation?: DatabasePreparation;
      redisCheck?: Pick<RedisPasswordCheck, 'isPassed'>;
    },
    private readonly logger: Logger,
    private readonly options: ReadinessProbeOptions = {},
  ) {}

  read(): Promise<Readiness> {
    const cacheMs = this.options.cacheMs ?? DEFAULT_CACHE_MS;
    if (this.last && Date.now() - this.last.at < cacheMs) return Promise.resolve(this.last.readiness);
    this.inFlight ??= this.check().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async check(): Promise<Readiness> {
    const { db, store, preparation, redisCheck } = this.deps;
    const checks: [Dependency, () => Promise<void>][] = [
      [
        'postgres',
        async () => {
          await pingDatabase(db);
        },
      ],
      [
        'migrations',
        async () => {
          if (preparation?.isPrepared) return;
          const pending = await pendingMigrations(db);
          if (pending.length > 0) throw new Error(`pending migrations: ${pending.join(', ')}`);
        },
      ],
      [
        'redis',
        async () => {
          await store.ping();
          // Production, Redis unreachable at start: not ready until it is known to refuse strangers.
          if (redisCheck && !redisCheck.isPassed) {
            throw new Error('not yet checked that Redis requires a password');
          }
        },
      ],
    ];
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const results = await Promise.all(
      checks.map(([name, probe]) =>
        withTimeout(probe, timeoutMs).then(
          () => ({ name, error: null }),
          (error: unknown) => ({ name, error }),
        ),
      ),
    );
    for (const { name, error } of results) this.noteChange(name, error);
    const down = results.filter((result) => result.error !== null).map((result) => result.name);
    const readiness = { ready: down.length === 0, down };
    this.last = { at: Date.now(), readiness };
    return readiness;
  }

  /** Logs a dependency going down (with the reason) or coming back: once per change, not per probe. */
  private noteChange(name: Dependency, error: unknown): void {
    if (error !== null && !this.down.has(name)) {
      this.down.add(name);
      this.logger.warn({ dependency: name, err: error }, 'not ready: a dependency is unavailable');
    } else if (error === null && this.down.delete(name)) {
      this.logger.info({ dependency: name }, 'a dependency is available again');
    }
  }
}
