import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PgDatabase } from '../../src/durable/pg-database.js';
import { RedisStore } from '../../src/ephemeral/redis-store.js';
import { connectionErrorReporter } from '../../src/store-metrics.js';
import { freePort } from '../support/free-port.js';
import { eventually } from '../support/services.js';

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, stream), lines };
}

async function counted(registry: Registry, store: string): Promise<number> {
  const metric = await registry.getSingleMetric('holdout_store_connection_errors_total')?.get();
  return metric?.values.find((v) => v.labels.store === store)?.value ?? 0;
}

describe('connection errors of the stores', () => {
  it('are counted each time and logged once per interval, with the count held back', async () => {
    const registry = new Registry();
    const { logger, lines } = capturingLogger();
    const report = connectionErrorReporter(registry, logger);
    // Nothing listens there: every reconnect attempt is refused.
    const store = new RedisStore({
      url: `redis://127.0.0.1:${await freePort()}`,
      onConnectionError: report('redis'),
    });
    try {
      await eventually(async () => (await counted(registry, 'redis')) >= 3, 'three refused attempts');
      const logged = lines.filter((line) => line.msg === 'store connection error');
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ store: 'redis', suppressed: 0 });
    } finally {
      await store.close();
    }
  });

  it("reach the reporter from the Postgres pool's idle connections", async () => {
    const registry = new Registry();
    const { logger } = capturingLogger();
    const db = new PgDatabase({
      connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/x`,
      onConnectionError: connectionErrorReporter(registry, logger)('postgres'),
    });
    try {
      // An idle client's error is the pool's 'error' event; the handler counts it.
      db.pool.emit('error', new Error('terminating connection due to administrator command'));
      expect(await counted(registry, 'postgres')).toBe(1);
    } finally {
      await db.close();
    }
  });
});
