import type { Database } from '../../src/durable/database.js';
import { PgliteDatabase } from '../../src/durable/pglite-database.js';
import { openTestPgDatabase } from '../support/services.js';

/** Every implementation of Database; contract suites run once per entry. */
export const durableBackends: { name: string; open(): Promise<Database> }[] = [
  { name: 'postgres', open: openTestPgDatabase },
  { name: 'pglite', open: () => PgliteDatabase.open(undefined) },
];
