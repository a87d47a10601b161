import type { FastifyInstance } from 'fastify';
import type { Database } from '../durable/database.js';
import { pendingMigrations } from '../durable/migrator.js';
import type { EphemeralStore } from '../ephemeral/ephemeral-store.js';

/** How long one readiness probe may wait for a store, in ms. @default 2000 */
const READINESS_TIMEOUT_MS = 2_000;

type CheckResult = { ok: true } | { ok: false; error: string };

async function check(probe: () => Promise<void>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${READINESS_TIMEOUT_MS} ms`)),
      READINESS_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([probe(), timeout]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** /healthz: the process is up. /readyz: Postgres, migrations and the ephemeral store are usable. */
export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { db: Database; store: EphemeralStore },
): void {
  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));

  app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
    const [postgres, migrations, redis] = await Promise.all([
      check(async () => {
        await deps.db.query('SELECT 1');
      }),
      check(async () => {
        const pending = await pendingMigrations(deps.db);
        if (pending.length > 0) throw new Error(`pending: ${pending.join(', ')}`);
      }),
      check(() => deps.store.ping()),
    ]);
    const checks = { postgres, migrations, redis };
    const down = Object.entries(checks)
      .filter(([, result]) => !result.ok)
      .map(([name]) => name);
    reply.code(down.length === 0 ? 200 : 503);
    return { status: down.length === 0 ? 'ready' : 'unavailable', down, checks };
  });
}
