import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineMetrics } from '../../src/engine/engine-metrics.js';
import { RedisStore } from '../../src/ephemeral/redis-store.js';
import { freePort } from '../support/free-port.js';
import { type HoldoutProcess, startHoldout } from '../support/holdout-process.js';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  eventually,
  TEST_REDIS_URL,
  type TestDatabase,
  uniqueName,
} from '../support/services.js';

/** The value of one series (sum over label sets matching `labels`) in Prometheus' text format. */
function seriesValue(text: string, name: string, labels = ''): number | null {
  let total: number | null = null;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const match = /^(\S+?)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name || !(match[2] ?? '').includes(labels)) continue;
    total = (total ?? 0) + Number(match[3]);
  }
  return total;
}

describe('/metrics after a short run', () => {
  let database: TestDatabase;
  let server: HoldoutProcess;
  let url: string;
  const prefix = `${uniqueName('metrics')}:`;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = startHoldout(['serve'], {
      PORT: String(await freePort()),
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      TICK_INTERVAL_MS: '100',
      WORKER_POLL_MS: '20',
    });
    [, url] = (await server.waitFor(/serving on (http:\/\/\S+)/, 60_000)) as [string, string];
    const call = async (path: string, body: unknown, token?: string) => {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      return (await response.json()) as Record<string, string>;
    };
    const { token } = await call('/dev/token', { opaqueUserId: 'Umetrics1', channelId: '1001' });
    const survivor = await call('/v1/survivors', { name: 'Metra' }, token);
    await call('/v1/missions', { survivorId: survivor.id, location: 'flooded-mall', difficulty: 1 }, token);
    for (let i = 0; i < 5; i++)
      await fetch(`${url}/v1/poll`, { headers: { authorization: `Bearer ${token}` } });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    await deleteKeysWithPrefix(prefix);
  });

  it('exposes the engine, HTTP, rate-limit and store series with sane values', async () => {
    const text = await eventually(async () => {
      const body = await (await fetch(`${url}/metrics`)).text();
      return (seriesValue(body, 'holdout_ticks_total') ?? 0) >= 3 ? body : null;
    }, 'ticks to be counted');
    expect(seriesValue(text, 'holdout_tick_lateness_seconds_count')).toBeGreaterThanOrEqual(3);
    expect(seriesValue(text, 'holdout_tick_lateness_seconds_bucket', 'le="+Inf"')).toBe(
      seriesValue(text, 'holdout_tick_lateness_seconds_count'),
    );
    // Present here; their values are proved against a known outbox below.
    expect(seriesValue(text, 'holdout_outbox_depth')).not.toBeNull();
    expect(seriesValue(text, 'holdout_outbox_oldest_age_seconds')).not.toBeNull();
    expect(seriesValue(text, 'holdout_stale_commits_total')).toBe(0);
    expect(seriesValue(text, 'holdout_lock_conflicts_total')).toBe(0);
    expect(seriesValue(text, 'holdout_reconciled_missions_total')).not.toBeNull();
    expect(
      seriesValue(text, 'holdout_http_request_duration_seconds_count', 'route="/v1/poll"'),
    ).toBeGreaterThanOrEqual(5);
    expect(
      seriesValue(text, 'holdout_http_request_duration_seconds_count', 'status="201"'),
    ).toBeGreaterThanOrEqual(1);
    expect(seriesValue(text, 'holdout_postgres_pool_connections', 'state="total"')).toBeGreaterThanOrEqual(1);
    expect(seriesValue(text, 'holdout_redis_connected')).toBe(1);
    expect(seriesValue(text, 'holdout_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toMatch(/# TYPE holdout_rate_limit_refusals_total counter/);
  });

  it('counts rate-limit refusals by endpoint', async () => {
    const response = await fetch(`${url}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ opaqueUserId: 'Umetrics2', channelId: '1001' }),
    });
    const { token } = (await response.json()) as { token: string };
    let refused = 0;
    for (let i = 0; i < 200 && refused === 0; i++) {
      const poll = await fetch(`${url}/v1/poll`, { headers: { authorization: `Bearer ${token}` } });
      if (poll.status === 429) refused++;
    }
    expect(refused).toBe(1);
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(seriesValue(text, 'holdout_rate_limit_refusals_total', 'endpoint="poll"')).toBeGreaterThanOrEqual(
      1,
    );
  });

  it("echoes the caller's request id", async () => {
    const response = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'trace-me-42' } });
    expect(response.headers.get('x-request-id')).toBe('trace-me-42');
  });
});

describe('the outbox gauges', () => {
  const prefix = `${uniqueName('outbox-gauges')}:`;
  const store = new RedisStore({ url: TEST_REDIS_URL, keyPrefix: prefix });
  afterAll(async () => {
    await store.close();
    await deleteKeysWithPrefix(prefix);
  });

  async function scrape(registry: Registry) {
    const text = await registry.metrics();
    return {
      depth: seriesValue(text, 'holdout_outbox_depth'),
      age: seriesValue(text, 'holdout_outbox_oldest_age_seconds'),
    };
  }

  it('report the entries waiting in mission_log_outbox and the age of the oldest, 0 once drained', async () => {
    const registry = new Registry();
    createEngineMetrics(registry, store);
    expect(await scrape(registry)).toEqual({ depth: 0, age: 0 });

    const committedAt = Date.now();
    for (const id of ['g1', 'g2', 'g3']) {
      await store.restoreActiveMission(id, `{"tick":0,"id":"${id}"}`, 1);
      await store.claimDueMissions({ now: Date.now(), limit: 1, lockTtlMs: 10_000, token: 't' });
      const [outcome] = await store.commitTicks([
        {
          missionId: id,
          token: 't',
          expectedTick: 0,
          recordJson: `{"tick":1,"id":"${id}"}`,
          nextTickAt: null,
          outboxRow: '{}',
        },
      ]);
      expect(outcome).toBe('committed');
    }
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const waiting = await scrape(registry);
    expect(waiting.depth).toBe(3);
    expect(waiting.age).toBeGreaterThanOrEqual(1);
    expect(waiting.age).toBeLessThanOrEqual((Date.now() - committedAt) / 1000 + 1);

    const entries = await store.readOutbox('gauge-test', 10);
    expect(entries).toHaveLength(3);
    await store.ackOutbox(entries.map((entry) => entry.id));
    expect(await scrape(registry)).toEqual({ depth: 0, age: 0 });
  });
});
