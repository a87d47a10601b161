import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/durable/database.js';
import {
  MigrationChecksumError,
  migrate,
  pendingMigrations,
  readMigrations,
} from '../../src/durable/migrator.js';
import { PgDatabase } from '../../src/durable/pg-database.js';
import { durableBackends } from './durable-backends.js';

const EXPECTED_TABLES = [
  'channels',
  'mission_logs',
  'mission_participants',
  'missions',
  'survivors',
  'users',
];

describe.each(durableBackends)('migrations on $name', ({ name, open }) => {
  let db: Database;
  beforeEach(async () => {
    db = await open();
  });
  afterEach(async () => {
    await db.close();
  });

  it('apply every shipped file on an empty database and create the ADR tables', async () => {
    const applied = await migrate(db);
    expect(applied).toEqual(readMigrations().map((m) => m.name));
    const { rows } = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_name = ANY($1) ORDER BY table_name`,
      [EXPECTED_TABLES],
    );
    expect(rows.map((r) => r.table_name)).toEqual(EXPECTED_TABLES);
    expect(await pendingMigrations(db)).toEqual([]);
  });

  it('are a no-op when run again', async () => {
    await migrate(db);
    expect(await migrate(db)).toEqual([]);
    const { rows } = await db.query<{ count: string }>(
      'SELECT count(*)::text AS count FROM holdout_migrations',
    );
    expect(Number(rows[0]!.count)).toBe(readMigrations().length);
  });

  it('roll back a failing file entirely and record nothing of it', async () => {
    const broken = [
      ...readMigrations(),
      {
        name: '9999_broken.sql',
        sql: 'CREATE TABLE half_done (id int); SELECT * FROM no_such_table;',
        checksum: 'x',
      },
    ];
    await expect(migrate(db, broken)).rejects.toThrow(/no_such_table/);
    const { rows } = await db.query<{ exists: boolean }>(
      "SELECT to_regclass('half_done') IS NOT NULL AS exists",
    );
    expect(rows[0]!.exists).toBe(false);
    expect(await pendingMigrations(db, broken)).toEqual(['9999_broken.sql']);
  });

  it('refuse to run when an applied file has been edited', async () => {
    await migrate(db);
    const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(migrate(db, edited)).rejects.toBeInstanceOf(MigrationChecksumError);
  });

  it.runIf(name === 'postgres')('apply each file once when several migrators race', async () => {
    const url = (db as PgDatabase & { url: string }).url;
    const racers = Array.from({ length: 5 }, () => new PgDatabase({ connectionString: url }));
    try {
      const results = await Promise.all(racers.map((racer) => migrate(racer)));
      const appliedByAll = results.flat();
      expect(appliedByAll.sort()).toEqual(readMigrations().map((m) => m.name));
      const { rows } = await db.query<{ name: string }>('SELECT name FROM holdout_migrations ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(readMigrations().map((m) => m.name));
    } finally {
      await Promise.all(racers.map((racer) => racer.close()));
    }
  });
});
