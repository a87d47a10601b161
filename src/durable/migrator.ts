import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, Queryable, Session } from './database.js';

/** The shipped migrations: SQL files named NNNN_what.sql, applied in name order. */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

// Any constant shared by every Holdout instance; pg_advisory_lock takes a bigint.
const MIGRATION_LOCK_KEY = 7_346_102_931;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** A migration already applied whose file has since changed: history must not be rewritten. */
export class MigrationChecksumError extends Error {
  override readonly name = 'MigrationChecksumError';
}

export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return { name: file, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

async function ensureHistoryTable(session: Session): Promise<void> {
  // Checked first: CREATE TABLE IF NOT EXISTS needs CREATE on the schema even when the table exists,
  // and the least-privileged app role (deploy/postgres/roles.sql) has none.
  const { rows } = await session.query<{ exists: boolean }>(
    "SELECT to_regclass('holdout_migrations') IS NOT NULL AS exists",
  );
  if (rows[0]?.exists) return;
  await session.exec(`CREATE TABLE IF NOT EXISTS holdout_migrations (
    name        text PRIMARY KEY,
    checksum    text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
  )`);
}

async function appliedChecksums(session: Session): Promise<Map<string, string>> {
  const { rows } = await session.query<{ name: string; checksum: string }>(
    'SELECT name, checksum FROM holdout_migrations',
  );
  return new Map(rows.map((row) => [row.name, row.checksum]));
}

function verifyHistory(migrations: Migration[], applied: Map<string, string>): void {
  for (const migration of migrations) {
    const checksum = applied.get(migration.name);
    if (checksum !== undefined && checksum !== migration.checksum) {
      throw new MigrationChecksumError(
        `migration ${migration.name} was applied with different content; add a new migration instead of editing it`,
      );
    }
  }
}

/**
 * Applies every pending migration, each in its own transaction, while holding an advisory lock,
 * so that many instances starting at once migrate exactly once. Returns the names it applied.
 */
export async function migrate(db: Database, migrations: Migration[] = readMigrations()): Promise<string[]> {
  return db.session(async (session) => {
    await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await ensureHistoryTable(session);
      const applied = await appliedChecksums(session);
      verifyHistory(migrations, applied);
      const pending = migrations.filter((migration) => !applied.has(migration.name));
      for (const migration of pending) {
        await session.transaction(async (tx) => {
          await tx.exec(migration.sql);
          await tx.query('INSERT INTO holdout_migrations (name, checksum) VALUES ($1, $2)', [
            migration.name,
            migration.checksum,
          ]);
        });
      }
      return pending.map((migration) => migration.name);
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}

/** Resolves when the database answers a query; rejects otherwise (readiness). */
export async function pingDatabase(db: Queryable): Promise<void> {
  await db.query('SELECT 1');
}

/** Whether the migrations have created mission_logs (partition commands need it). */
export async function missionLogsExist(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ exists: boolean }>(
    "SELECT to_regclass('mission_logs') IS NOT NULL AS exists",
  );
  return rows[0]?.exists === true;
}

/** Names of shipped migrations not yet applied; /readyz is not ready while any remain. */
export async function pendingMigrations(
  db: Queryable,
  migrations: Migration[] = readMigrations(),
): Promise<string[]> {
  const { rows } = await db.query<{ exists: boolean }>(
    "SELECT to_regclass('holdout_migrations') IS NOT NULL AS exists",
  );
  if (!rows[0]?.exists) return migrations.map((migration) => migration.name);
  const { rows: applied } = await db.query<{ name: string }>('SELECT name FROM holdout_migrations');
  const done = new Set(applied.map((row) => row.name));
  return migrations.filter((migration) => !done.has(migration.name)).map((migration) => migration.name);
}
