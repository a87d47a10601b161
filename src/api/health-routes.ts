import type { FastifyInstance } from 'fastify';
import type { DatabasePreparation } from '../database-preparation.js';
import type { Database } from '../durable/database.js';
import type { EphemeralStore } from '../ephemeral/ephemeral-store.js';
import type { Logger } from '../logger.js';
import type { RedisPasswordCheck } from '../redis-password-check.js';
import { type Dependency, ReadinessProbe } from './readiness-probe.js';

const DEPENDENCIES: readonly Dependency[] = ['postgres', 'migrations', 'redis'];

/**
 * /healthz: the process is up. /readyz: Postgres, migrations and the ephemeral store are usable;
 * 503 names what is missing (`down`), without addresses or error texts (those are logged).
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  deps: {
    db: Database;
    store: EphemeralStore;
    preparation?: DatabasePreparation;
    redisCheck?: Pick<RedisPasswordCheck, 'isPassed'>;
    logger: Logger;
  },
): void {
  const probe = new ReadinessProbe(deps, deps.logger.child({ component: 'readiness' }));
  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));

  app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
    const { ready, down } = await probe.read();
    const checks = Object.fromEntries(
      DEPENDENCIES.map((name) => [name, down.includes(name) ? 'down' : 'up'] as const),
    );
    reply.code(ready ? 200 : 503).header('cache-control', 'no-store');
    return { status: ready ? 'ready' : 'unavailable', down, checks };
  });
}
