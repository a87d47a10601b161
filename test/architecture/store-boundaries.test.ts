import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** Every TypeScript source under `src/`, as a path relative to the repository and its text. */
function sources(): { path: string; text: string }[] {
  const found: { path: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name))
        found.push({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') });
    }
  };
  walk(join(ROOT, 'src'));
  return found;
}

/** `path:line: text` of each line matching `pattern` in files outside `folder`. */
function linesOutside(folder: string, pattern: RegExp): string[] {
  const hits: string[] = [];
  for (const { path, text } of sources()) {
    if (path.startsWith(folder)) continue;
    text.split('\n').forEach((line, i) => {
      if (pattern.test(line)) hits.push(`${path}:${i + 1}: ${line.trim()}`);
    });
  }
  return hits;
}

describe('the stores are boundaries: code outside a store folder uses its interface only', () => {
  it('nothing outside src/ephemeral/ asks which ephemeral store it holds or reaches its Redis client', () => {
    expect(linesOutside('src/ephemeral/', /instanceof (RedisStore|MemoryStore)\b|\.redis\b(?!:)/)).toEqual(
      [],
    );
  });

  it('nothing outside src/durable/ asks which database it holds or reaches its pool', () => {
    expect(linesOutside('src/durable/', /instanceof (PgDatabase|PgliteDatabase)\b|\.pool\b/)).toEqual([]);
  });

  it('all SQL on missions and mission_participants lives in src/durable/', () => {
    expect(
      linesOutside('src/durable/', /\b(FROM|INTO|UPDATE|JOIN)\s+(missions|mission_participants)\b/),
    ).toEqual([]);
  });

  it('no SQL at all is written outside src/durable/', () => {
    const sql =
      /\bSELECT\s.*\bFROM\b|\bSELECT 1\b|\bINSERT INTO\b|\bDELETE FROM\b|\bUPDATE\s+\w+(\s+\w+)?\s+SET\b|^\s*FROM\s+\w+/;
    expect(linesOutside('src/durable/', sql)).toEqual([]);
  });
});
