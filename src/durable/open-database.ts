import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config.js';
import { lockDataDir } from './data-dir-lock.js';
import type { Database } from './database.js';
import { PgDatabase } from './pg-database.js';

export interface DurableSettings {
  /** A postgres:// URL; without it Holdout embeds PGlite. */
  DATABASE_URL?: string | undefined;
  /** Where embedded data lives. @default ./.holdout */
  HOLDOUT_DATA_DIR: string;
}

/** The durable store the configuration asks for: the server at DATABASE_URL, or PGlite in the data folder. */
export async function openDatabase(
  settings: DurableSettings,
  onConnectionError?: (error: Error) => void,
): Promise<Database> {
  if (settings.DATABASE_URL) {
    return new PgDatabase({ connectionString: settings.DATABASE_URL, onConnectionError });
  }
  return openEmbeddedDatabase(settings.HOLDOUT_DATA_DIR);
}

/**
 * PGlite in `dataDir`, locked to this process until closed. Imported only here: a process on a real
 * Postgres never loads it, and the production image, which refuses embedded mode, leaves it out.
 */
async function openEmbeddedDatabase(dataDir: string): Promise<Database> {
  let pglite: typeof import('./pglite-database.js');
  try {
    pglite = await import('./pglite-database.js');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new ConfigError(
      'DATABASE_URL is not set and this installation has no embedded PostgreSQL (PGlite is left out ' +
        'of the production image): set DATABASE_URL',
    );
  }
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataDir(dataDir);
  try {
    return await pglite.PgliteDatabase.open(join(dataDir, 'pglite'), { onClose: () => lock.release() });
  } catch (error) {
    lock.release();
    throw error;
  }
}
