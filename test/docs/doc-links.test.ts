import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { markdownFiles, missingNamedPaths, unresolvedLinks } from './doc-link-check.js';
import { headingSlug, markdownAnchors, markdownLinks } from './markdown-links.js';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the documentation is self-contained', () => {
  const files = markdownFiles(repositoryRoot);

  it('covers the README, the docs and the ADRs', () => {
    expect(files).toContain('README.md');
    expect(files).toContain('docs/architecture.md');
    expect(files).toContain('docs/adr/0006-postgres-durable-redis-ephemeral.md');
  });

  it.each(files)('every link in %s resolves inside the repository', (file) => {
    const problems = unresolvedLinks(repositoryRoot, file);
    expect(problems, `broken links:\n${problems.join('\n')}`).toEqual([]);
  });

  it.each(files)('every file of the repository that %s names exists', (file) => {
    const problems = missingNamedPaths(repositoryRoot, file);
    expect(problems, `paths that moved or never existed:\n${problems.join('\n')}`).toEqual([]);
  });
});

describe('the link check', () => {
  const sandbox = mkdtempSync(path.join(tmpdir(), 'holdout-doc-links-'));
  afterAll(() => rmSync(sandbox, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(sandbox, file)), { recursive: true });
    writeFileSync(path.join(sandbox, file), text);
  };

  it('reports a missing file, a missing anchor and a path outside the repository, naming file and line', () => {
    write('docs/guide.md', '# Guide\n\n## Health and readiness\n');
    write(
      'README.md',
      [
        '# Readme',
        'See [the guide](docs/guide.md#health-and-readiness) and [top](#readme).', // fine
        'See [gone](docs/gone.md).',
        'See [a section](docs/guide.md#no-such-heading).',
        'See [the ADR](../shared/adr/0006.md).',
        '<img src="docs/img/missing.png" alt="">',
        'See [web](https://example.com) and `[code](not/a/link.md)`.',
        '```',
        '[fenced](not/a/link.md)',
        '```',
      ].join('\n'),
    );
    expect(unresolvedLinks(sandbox, 'README.md')).toEqual([
      'README.md:3: link "docs/gone.md" points to docs/gone.md, which does not exist',
      'README.md:4: link "docs/guide.md#no-such-heading" points to #no-such-heading, which no heading of docs/guide.md makes',
      'README.md:5: link "../shared/adr/0006.md" points outside the repository (to ../shared/adr/0006.md)',
      'README.md:6: link "docs/img/missing.png" points to docs/img/missing.png, which does not exist',
    ]);
  });

  it('reports a named path that does not exist, and skips placeholders', () => {
    write('src/engine/tick-worker.ts', '');
    write(
      'docs/layout.md',
      'The worker is `src/engine/tick-worker.ts`; `src/api/lobby-service.ts` moved; `src/durable/migrations/NNNN_x.sql`.',
    );
    expect(missingNamedPaths(sandbox, 'docs/layout.md')).toEqual([
      'docs/layout.md:1: names `src/api/lobby-service.ts`, which does not exist',
    ]);
  });

  it('reads links out of inline links, images, reference definitions and HTML', () => {
    const text = '[a](x.md) ![b](y.png "t")\n[ref]: z.md\n<a href="w.md">w</a>';
    expect(markdownLinks(text).map((link) => link.target)).toEqual(['x.md', 'y.png', 'z.md', 'w.md']);
  });

  it("makes GitHub's anchors: punctuation dropped, code kept, repeats numbered", () => {
    expect(headingSlug('Health and readiness')).toBe('health-and-readiness');
    expect(headingSlug('`holdout serve`: one process')).toBe('holdout-serve-one-process');
    expect(headingSlug('Postgres (durable, authoritative)')).toBe('postgres-durable-authoritative');
    expect([...markdownAnchors('# Notes\n## Notes\n## Notes')]).toEqual(['notes', 'notes-1', 'notes-2']);
  });
});
