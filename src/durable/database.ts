/** What every durable module needs of a connection: parameterized queries. */
export interface Queryable {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Runs SQL that may hold several statements and no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

/** One connection held for a while, for session-level state such as advisory locks. */
export interface Session extends Queryable {
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
}

/**
 * The durable store: a PostgreSQL server through a `pg` pool, or embedded PGlite.
 * The same SQL runs on both; the contract suite in test/durable proves it.
 */
export interface Database extends Session {
  readonly kind: 'postgres' | 'pglite';
  /** Holds one connection for `work`, so that session state (advisory locks) stays on it. */
  session<T>(work: (session: Session) => Promise<T>): Promise<T>;
  /** The connection pool's counts now, for metrics; null for the embedded database, which has none. */
  poolConnections(): PoolConnections | null;
  close(): Promise<void>;
}

export interface PoolConnections {
  total: number;
  idle: number;
  /** Requests queued for a connection. */
  waiting: number;
}
