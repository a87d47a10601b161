import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/durable/migrator.js';
import { PgDatabase } from '../../src/durable/pg-database.js';
import { ensurePartitionsSince, fillMonth, monthAgo } from '../durable/mission-log-fixtures.js';
import { runHoldout } from '../support/holdout-process.js';
import { createTestDatabase, type TestDatabase } from '../support/services.js';

describe('holdout partitions', () => {
  let database: TestDatabase;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const old = monthAgo(-5);
  const oldMonth = old.from.toISOString().slice(0, 7);

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'holdout-cli-archive-'));
    env = { DATABASE_URL: database.url, HOLDOUT_ARCHIVE_DIR: dir };
    const db = new PgDatabase({ connectionString: database.url });
    try {
      await migrate(db);
      await ensurePartitionsSince(db, 5);
      await fillMonth(db, old, 2, 30);
      await fillMonth(db, monthAgo(0), 1, 10);
    } finally {
      await db.close();
    }
  });
  afterAll(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ensure creates the months ahead it is asked for', async () => {
    const { code, output } = await runHoldout(['partitions', 'ensure', '--ahead', '4'], env);
    expect(code).toBe(0);
    expect(output).toMatch(new RegExp(`partitions created: .*${monthAgo(4).name}$`, 'm'));
  });

  it('list shows every partition with its range, state, rows and size', async () => {
    const { code, output } = await runHoldout(['partitions', 'list'], env);
    expect(code).toBe(0);
    expect(output).toMatch(/^partition\s+from\s+to\s+state\s+rows\s+size\s+archived$/m);
    expect(output).toMatch(
      new RegExp(`^${old.name}\\s+${oldMonth}-01\\s+\\S+\\s+attached\\s+60\\s+\\d+ kB\\s+-$`, 'm'),
    );
    expect(output).toMatch(new RegExp(`^${monthAgo(0).name}\\s.*attached\\s+10\\s`, 'm'));
  });

  it('archive --dry-run names the months and changes nothing', async () => {
    const { code, output } = await runHoldout(
      ['partitions', 'archive', '--older-than', '3', '--dry-run'],
      env,
    );
    expect(code).toBe(0);
    expect(output).toContain(`${old.name} (attached, 60 rows)`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('archive writes the file and manifest, then list shows the month as archived', async () => {
    const archived = await runHoldout(['partitions', 'archive', '--older-than', '3'], env);
    expect(archived.code).toBe(0);
    expect(archived.output).toMatch(
      new RegExp(`${old.name}: exported 60 rows \\(\\d+ \\w+\\), verified, detached, dropped`),
    );
    // The month after it, empty, is archived too: an empty month is archived like any other.
    expect(archived.output).toMatch(new RegExp(`${monthAgo(-4).name}: exported 0 rows`));
    expect(readdirSync(dir).sort()).toEqual(
      [old.name, monthAgo(-4).name].flatMap((name) => [`${name}.manifest.json`, `${name}.ndjson.gz`]),
    );

    const listed = await runHoldout(['partitions', 'list'], env);
    expect(listed.output).toMatch(new RegExp(`^${old.name}\\s.*archived\\s+60\\s+\\d+ \\w+\\s+yes$`, 'm'));
  });

  it('restore brings the month back, and refuses a month with no archive or a malformed one with exit code 2', async () => {
    const restored = await runHoldout(['partitions', 'restore', oldMonth], env);
    expect(restored.code).toBe(0);
    expect(restored.output).toContain(
      `${old.name}: restored from ${dir}, 60 rows verified (60 inserted by this run)`,
    );

    const missing = await runHoldout(['partitions', 'restore', '2001-01'], env);
    expect(missing.code).toBe(2);
    expect(missing.output).toContain(`no archive of 2001-01 in ${dir}`);

    const refused = await runHoldout(['partitions', 'restore', '2026-13'], env);
    expect(refused.code).toBe(2);
    expect(refused.output).toContain('expected a month 01–12');
    expect(refused.output).not.toMatch(/\n\s+at /);
  });
});
