import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../config.js';

/** The file in HOLDOUT_DATA_DIR that says which process has the embedded database open. */
export const LOCK_FILE = 'holdout.lock';

/** Refusal to open a data folder another live process holds; its message names that process. */
export class DataDirLockedError extends ConfigError {
  constructor(
    readonly dir: string,
    readonly holderPid: number,
  ) {
    super(
      `${resolve(dir)} is in use by another Holdout process (pid ${holderPid}): embedded PostgreSQL ` +
        'allows one process per data folder. Stop that process, or give this one its own HOLDOUT_DATA_DIR. ' +
        `(If pid ${holderPid} is not Holdout, delete ${join(resolve(dir), LOCK_FILE)}.)`,
    );
  }
}

export interface DataDirLock {
  release(): void;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  // A container restarted with the same pid as its last life left this lock behind: it is ours.
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): number | undefined {
  try {
    return Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function tryCreate(path: string): boolean {
  try {
    const fd = openSync(path, 'wx');
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Takes the data folder for this process: PGlite keeps one copy of the database in memory and writes
 * it back, so a second process on the same folder silently loses the first one's writes. The lock is a
 * file holding the holder's pid, created exclusively; one whose process is gone (kill -9, a crash) is
 * taken over. Two processes taking over the same stale lock at once are told apart by moving it
 * aside first: only the one that moved the stale holder's file goes on.
 */
export function lockDataDir(dir: string): DataDirLock {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path)) {
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        if (readHolder(path) === process.pid) unlinkSync(path);
      };
      // process.exit() (a refused start, a failed shutdown) skips close(): let go of the folder anyway.
      process.on('exit', release);
      return { release };
    }
    const holder = readHolder(path);
    if (holder === undefined) continue; // released between our two looks: try again
    if (isAlive(holder)) throw new DataDirLockedError(dir, holder);
    const aside = `${path}.stale-${process.pid}`;
    try {
      renameSync(path, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // someone else moved it
      throw error;
    }
    const moved = readHolder(aside);
    if (moved !== holder && moved !== undefined && isAlive(moved)) {
      // We moved a live lock another process had just taken over: put it back, and give way.
      try {
        linkSync(aside, path);
      } finally {
        unlinkSync(aside);
      }
      throw new DataDirLockedError(dir, moved);
    }
    unlinkSync(aside);
  }
  throw new ConfigError(`could not take the lock ${path}: it keeps changing hands`);
}
