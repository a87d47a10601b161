import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { keyNames } from '../../src/ephemeral/keys.js';

const ACL_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'deploy', 'redis', 'users.acl');

/** The `~pattern` key globs of the holdout user in the shipped ACL file, as regular expressions. */
function aclKeyPatterns(): RegExp[] {
  const line = readFileSync(ACL_FILE, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('user holdout '));
  if (!line) throw new Error('no holdout user in the ACL file');
  return line
    .split(/\s+/)
    .filter((word) => word.startsWith('~'))
    .map(
      (glob) =>
        new RegExp(
          `^${glob
            .slice(1)
            .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
            .replaceAll('*', '.*')}$`,
        ),
    );
}

describe('the shipped Redis ACL', () => {
  it('covers every key family Holdout uses, as keys.ts builds them', () => {
    const patterns = aclKeyPatterns();
    const keys = keyNames('');
    const samples = Object.entries(keys)
      .filter(([name]) => !['prefix', 'rateLimitPrefix', 'scheduleShards', 'scheduleShardOf'].includes(name))
      .map(([name, build]) => [
        name,
        typeof build === 'function'
          ? (build as (...a: (string | number)[]) => string)(
              name.endsWith('Due') || name === 'missionLogOutbox' ? 0 : '1',
              // An event's meter parts take a schedule shard; other families a second name.
              name.endsWith('Part') ? 0 : 'poll',
            )
          : build,
      ]);
    expect(samples.length).toBeGreaterThanOrEqual(10);
    const uncovered = samples.filter(([, key]) => !patterns.some((p) => p.test(String(key))));
    expect(uncovered).toEqual([]);
  });
});
