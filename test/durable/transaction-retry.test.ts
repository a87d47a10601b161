import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDatabase } from '../../src/durable/pg-database.js';
import { TRANSACTION_ATTEMPTS } from '../../src/durable/transaction-retry.js';
import { createTestDatabase, type TestDatabase } from '../support/services.js';

/** Resolves once `count` parties have arrived: two transactions meet here, each holding one lock. */
function barrier(count: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return () => {
    if (++arrived === count) release();
    return all;
  };
}

describe('transactions that Postgres aborts as deadlock victims', () => {
  let database: TestDatabase;
  let db: PgDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = new PgDatabase({ connectionString: database.url });
    await db.exec(
      'CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL); INSERT INTO counters VALUES (1, 0), (2, 0)',
    );
    // Detect the cycle quickly: the default second would do, only slower.
    await db.exec(`ALTER DATABASE ${database.name} SET deadlock_timeout = '100ms'`);
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it('run again from the start, so both sides of a deadlock commit', async () => {
    const meet = barrier(2);
    let attempts = 0;
    // Opposite lock orders on purpose: the first attempts deadlock; the victim's second runs alone.
    const bump = (first: number, second: number) =>
      db.transaction(async (tx) => {
        attempts++;
        await tx.query('UPDATE counters SET n = n + 1 WHERE id = $1', [first]);
        await meet();
        await tx.query('UPDATE counters SET n = n + 1 WHERE id = $1', [second]);
      });
    await Promise.all([bump(1, 2), bump(2, 1)]);
    const { rows } = await db.query<{ n: number }>('SELECT n FROM counters ORDER BY id');
    expect(rows.map((r) => r.n)).toEqual([2, 2]);
    expect(db.conflictRetries).toBeGreaterThanOrEqual(1);
    expect(attempts).toBe(2 + db.conflictRetries);
  });

  it('give up after a bounded number of attempts, and never retry other errors', async () => {
    let attempts = 0;
    const deadlocked = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    await expect(
      db.transaction(async () => {
        attempts++;
        throw deadlocked;
      }),
    ).rejects.toBe(deadlocked);
    expect(attempts).toBe(TRANSACTION_ATTEMPTS);
    attempts = 0;
    await expect(
      db.transaction(async (tx) => {
        attempts++;
        await tx.query('SELECT 1 / 0');
      }),
    ).rejects.toThrow(/division by zero/);
    expect(attempts).toBe(1);
  });
});
