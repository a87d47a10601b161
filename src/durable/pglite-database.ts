import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import type { Database, Queryable, QueryResult, Session } from './database.js';

// pg returns int8 as a string (it may not fit a double); PGlite must answer the same way.
const parsers = { [types.INT8]: (value: string) => value };

type PGliteLike = Pick<PGlite, 'query' | 'exec'>;

function asQueryable(db: PGliteLike): Queryable {
  return {
    async query<Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
      const result = await db.query<Row>(text, params as unknown[] | undefined);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await db.exec(sql);
    },
  };
}

/** Embedded PostgreSQL (WASM) keeping its data in a folder; one connection, one process. */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  private readonly queryable: Queryable;

  private constructor(
    private readonly db: PGlite,
    private readonly onClose: () => void,
  ) {
    this.queryable = asQueryable(db);
  }

  /**
   * Opens (creating if needed) the database in `dataDir`; `undefined` keeps it in memory. `onClose`
   * runs once the database is closed (openDatabase releases the data folder's lock there).
   */
  static async open(
    dataDir: string | undefined,
    options: { onClose?: () => void } = {},
  ): Promise<PgliteDatabase> {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    const db = await PGlite.create(dataDir, { parsers });
    return new PgliteDatabase(db, options.onClose ?? (() => undefined));
  }

  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
    return this.queryable.query<Row>(text, params);
  }

  exec(sql: string): Promise<void> {
    return this.queryable.exec(sql);
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(asQueryable(tx)));
  }

  // PGlite has one connection: the session is the database itself.
  session<T>(work: (session: Session) => Promise<T>): Promise<T> {
    return work(this);
  }

  poolConnections(): null {
    return null;
  }

  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      this.onClose();
    }
  }
}
