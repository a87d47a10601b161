import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/index.js';
import { migrate } from '../../src/durable/migrator.js';
import { ensureMonthlyPartitions } from '../../src/durable/partitions.js';
import type { PgDatabase } from '../../src/durable/pg-database.js';
import { DEFAULT_ENGINE_OPTIONS, startEngine } from '../../src/engine/engine.js';
import type { EngineDeps } from '../../src/engine/engine-deps.js';
import { startMission } from '../../src/engine/start-mission.js';
import { RedisStore } from '../../src/ephemeral/redis-store.js';
import { auditMissionLogs } from '../support/mission-log-invariants.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { eventually, openTestPgDatabase } from '../support/services.js';
import { createUsersWithSurvivors } from '../support/survivor-fixtures.js';

const ACL_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'deploy', 'redis', 'users.acl');
const TICK_MS = 25;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the tick engine as the ACL user holdout', () => {
  const password = randomBytes(18).toString('base64url');
  const adminPassword = randomBytes(18).toString('base64url');
  let dir: string;
  let redis: RedisServer;
  let admin: Redis;
  let db: PgDatabase;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'holdout-acl-engine-'));
    // The shipped file plus an admin user, so that the test can read ACL LOG afterwards.
    const acl = readFileSync(ACL_FILE, 'utf8').replace('#PASSWORD_SHA256', `#${sha256(password)}`);
    const aclPath = join(dir, 'users.acl');
    writeFileSync(aclPath, `${acl}user admin on #${sha256(adminPassword)} ~* &* +@all\n`);
    redis = await startRedisServer(['--aclfile', aclPath]);
    db = await openTestPgDatabase();
    admin = new Redis(`redis://admin:${adminPassword}@127.0.0.1:${redis.port}`);
    await migrate(db);
    await ensureMonthlyPartitions(db);
  });
  afterAll(async () => {
    admin?.disconnect();
    await Promise.allSettled([redis?.stop(), db?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs missions to the end with every tick logged, and Redis denies it nothing', async () => {
    const store = new RedisStore({ url: `redis://holdout:${password}@127.0.0.1:${redis.port}` });
    const deps: EngineDeps = { db, store, content: loadContent(), tickIntervalMs: TICK_MS };
    const engine = await startEngine(deps, {
      ...DEFAULT_ENGINE_OPTIONS,
      worker: { ...DEFAULT_ENGINE_OPTIONS.worker, pollIntervalMs: 10, lockTtlMs: 1_000 },
      redisLossCheckMs: 50,
    });
    try {
      const members = await createUsersWithSurvivors(db, 4);
      for (const member of members.slice(0, 2)) {
        await startMission(deps, {
          channelId: 'c1',
          kind: 'solo',
          location: 'flooded-mall',
          difficulty: 2,
          length: 'short',
          members: [member],
          fromState: 'idle',
        });
      }
      await startMission(deps, {
        channelId: 'c1',
        kind: 'group',
        location: 'flooded-mall',
        difficulty: 3,
        length: 'short',
        members: members.slice(2, 4),
        fromState: 'idle',
      });
      await eventually(
        async () => {
          const { rows } = await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM missions WHERE status = 'active'`,
          );
          return rows[0]!.n === 0;
        },
        'every mission to end',
        30_000,
        100,
      );
    } finally {
      await engine.stop();
      await store.close();
    }
    const audit = await auditMissionLogs(db, deps.content);
    expect(audit.problems).toEqual([]);
    expect(audit.ended).toBe(3);
    // Every refusal (command, key or channel) is recorded here; ioredis's INFO ready check is the
    // one Holdout expects and shrugs off.
    const log = (await admin.call('ACL', 'LOG')) as unknown[][];
    const refused = log.map((entry) => {
      const fields = new Map<string, unknown>();
      for (let i = 0; i + 1 < entry.length; i += 2) fields.set(String(entry[i]), entry[i + 1]);
      return `${String(fields.get('reason'))}:${String(fields.get('object'))}`;
    });
    expect(refused.filter((what) => what !== 'command:info')).toEqual([]);
  });
});
