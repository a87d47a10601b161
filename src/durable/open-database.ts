import { join } from 'node:path';
import type { Database } from './database.js';
import { PgDatabase } from './pg-database.js';
import { PgliteDatabase } from './pglite-database.js';

export interface DurableSettings {
  /** A postgres:// URL; without it Holdout embeds PGlite. */
  DATABASE_URL?: string | undefined;
  /** Where embedded data lives. @default ./.holdout */
  HOLDOUT_DATA_DIR: string;
}

/** The durable store the configuration asks for: the server at DATABASE_URL, or PGlite in the data folder. */
export async function openDatabase(settings: DurableSettings): Promise<Database> {
  if (settings.DATABASE_URL) return new PgDatabase({ connectionString: settings.DATABASE_URL });
  return PgliteDatabase.open(join(settings.HOLDOUT_DATA_DIR, 'pglite'));
}
