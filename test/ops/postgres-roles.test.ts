import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/durable/migrator.js';
import { archivePartitions } from '../../src/durable/partition-archive.js';
import { ensureMonthlyPartitions } from '../../src/durable/partitions.js';
import { PgDatabase } from '../../src/durable/pg-database.js';
import { ensurePartitionsSince, fillMonth, monthAgo } from '../durable/mission-log-fixtures.js';
import { createTestDatabase, TEST_POSTGRES_URL, type TestDatabase, uniqueName } from '../support/services.js';

const ROLES_SQL = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'deploy',
  'postgres',
  'roles.sql',
);
const run = promisify(execFile);

describe('deploy/postgres/roles.sql', () => {
  let database: TestDatabase;
  let owner: PgDatabase;
  let app: PgDatabase;
  let archiveDir: string;
  // Roles are global to the server: names of their own, dropped afterwards.
  const ownerRole = uniqueName('holdout_owner').toLowerCase();
  const appRole = uniqueName('holdout_app').toLowerCase();

  const asRole = (role: string) => {
    const url = new URL(database.url);
    url.username = role;
    url.password = 'test-password';
    return new PgDatabase({ connectionString: url.toString(), max: 2 });
  };
  const applyRoles = () =>
    run('psql', [
      database.url,
      '-q',
      '-v',
      `owner_role=${ownerRole}`,
      '-v',
      `app_role=${appRole}`,
      '-v',
      'owner_password=test-password',
      '-v',
      'app_password=test-password',
      '-f',
      ROLES_SQL,
    ]);

  beforeAll(async () => {
    database = await createTestDatabase();
    archiveDir = mkdtempSync(join(tmpdir(), 'holdout-roles-'));
    await applyRoles();
    owner = asRole(ownerRole);
    await migrate(owner);
    await ensurePartitionsSince(owner, 4);
    await ensureMonthlyPartitions(owner); // what `holdout migrate` does
    // Run again after the migration, as the runbook says, to grant UPDATE on the new tables.
    await applyRoles();
    app = asRole(appRole);
  });
  afterAll(async () => {
    await Promise.allSettled([owner?.close(), app?.close()]);
    await database?.drop();
    rmSync(archiveDir, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${appRole}`);
    await admin.query(`DROP ROLE IF EXISTS ${ownerRole}`);
    await admin.end();
  });

  it('lets the app role start up: migrations up to date, partitions present, nothing to create', async () => {
    expect(await migrate(app)).toEqual([]);
    expect(await ensureMonthlyPartitions(app)).toEqual([]);
  });

  it('lets the app role insert and update game rows and append log rows', async () => {
    await fillMonth(app, monthAgo(0), 1, 3);
    await app.query("UPDATE missions SET status = 'succeeded' WHERE channel_id = 'chan'");
    await app.query(`INSERT INTO channels (channel_id) VALUES ('c1')
                     ON CONFLICT (channel_id) DO UPDATE SET max_difficulty = 3`);
    const { rows } = await app.query<{ count: string }>('SELECT count(*)::text AS count FROM mission_logs');
    expect(Number(rows[0]!.count)).toBeGreaterThanOrEqual(3);
  });

  it('denies the app role updating or deleting log rows, deleting anything, and any DDL', async () => {
    await expect(app.query("UPDATE mission_logs SET text = 'rewritten'")).rejects.toThrow(
      /permission denied/,
    );
    await expect(app.query('DELETE FROM mission_logs')).rejects.toThrow(/permission denied/);
    await expect(app.query('TRUNCATE mission_logs')).rejects.toThrow(/permission denied/);
    await expect(app.query(`UPDATE ${monthAgo(0).name} SET text = 'x'`)).rejects.toThrow(/permission denied/);
    await expect(app.query('DELETE FROM missions')).rejects.toThrow(/permission denied/);
    await expect(
      app.query("INSERT INTO holdout_migrations (name, checksum) VALUES ('x', 'y')"),
    ).rejects.toThrow(/permission denied/);
    await expect(app.query('CREATE TABLE intruder (id int)')).rejects.toThrow(/permission denied/);
    await expect(app.query('DROP TABLE mission_logs')).rejects.toThrow(/must be owner/);
    await expect(ensureMonthlyPartitions(app, monthAgo(12).from, 0)).rejects.toThrow(
      /permission denied for schema|must be owner/,
    );
  });

  it('lets the owner role run partition maintenance', async () => {
    await fillMonth(owner, monthAgo(-4), 1, 5);
    const archived = await archivePartitions(owner, { olderThanMonths: 2, dir: archiveDir });
    expect(archived.map((a) => a.partition)).toContain(monthAgo(-4).name);
  });
});
