import pg from 'pg';
import type { Database, PoolConnections, Queryable, QueryResult, Session } from './database.js';
import { retryConflicts } from './transaction-retry.js';

/** Connections per process; API and worker each keep a few busy at most. @default 10 */
const DEFAULT_POOL_SIZE = 10;

export interface PgDatabaseOptions {
  connectionString: string;
  /** Pool size. @default 10 */
  max?: number;
  /** How long to wait for a connection, in ms. @default 5000 */
  connectionTimeoutMillis?: number;
  /**
   * Told of every error of an idle connection (the server went away): the process logs and counts
   * them (store-metrics.ts). Queries' own errors reach their callers instead. @default ignore
   */
  onConnectionError?: (error: Error) => void;
}

function asQueryable(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
      const result = await client.query(text, params as unknown[] | undefined);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql: string): Promise<void> {
      await client.query(sql);
    },
  };
}

async function inTransaction<T>(client: pg.PoolClient, work: (tx: Queryable) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work(asQueryable(client));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      // The caller gets the transaction's own error; the connection, in an unknown state, is dropped.
      brokenClients.add(client);
      Object.assign(error as object, { rollbackError });
    }
    throw error;
  }
}

/** Clients whose ROLLBACK failed: destroyed on release instead of going back to the pool. */
const brokenClients = new WeakSet<pg.PoolClient>();

/**
 * A checked-out client whose server goes away between two queries emits 'error' on itself, where the
 * pool's listener is not attached: without one the process crashes (seen in the compound chaos test,
 * a Postgres blip during a completion). The query under way, or the next one, fails with the error.
 */
function keepAliveOnError(client: pg.PoolClient): () => void {
  const ignore = () => undefined;
  client.on('error', ignore);
  return () => client.off('error', ignore);
}

export class PgDatabase implements Database {
  readonly kind = 'postgres' as const;
  readonly pool: pg.Pool;
  private readonly pooled: Queryable;
  /** Transactions run again after a deadlock or serialization failure (see transaction-retry.ts). */
  conflictRetries = 0;
  private readonly onConflictRetry = () => {
    this.conflictRetries++;
  };

  constructor(options: PgDatabaseOptions) {
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.max ?? DEFAULT_POOL_SIZE,
      connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    });
    // An idle client that loses its server emits here; without a listener the process would crash.
    this.pool.on('error', (error) => options.onConnectionError?.(error));
    this.pooled = asQueryable(this.pool);
  }

  // A statement outside a transaction is its own transaction: a deadlock victim runs again too.
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    return retryConflicts(() => this.pooled.query<Row>(text, params), this.onConflictRetry);
  }

  exec(sql: string): Promise<void> {
    return this.pooled.exec(sql);
  }

  /** Runs `work` in a transaction; one that Postgres aborts as a deadlock victim runs again. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return retryConflicts(async () => {
      const client = await this.pool.connect();
      const detach = keepAliveOnError(client);
      try {
        return await inTransaction(client, work);
      } finally {
        detach();
        client.release(brokenClients.has(client));
      }
    }, this.onConflictRetry);
  }

  async session<T>(work: (session: Session) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const detach = keepAliveOnError(client);
    let broken = false;
    try {
      return await work({
        ...asQueryable(client),
        transaction: (inner) => inTransaction(client, inner),
      });
    } catch (error) {
      broken = true;
      throw error;
    } finally {
      // A session that failed may still hold session state (locks); destroy it rather than reuse it.
      detach();
      client.release(broken);
    }
  }

  poolConnections(): PoolConnections {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
