import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { markdownAnchors, markdownLinks } from './markdown-links.js';

/** Folders that hold no documentation of ours: dependencies, build output, local data. */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.git', '.holdout', 'test-results']);
const EXTERNAL = /^(https?:|mailto:)/i;
const ANY_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
// GitHub's line anchors on a source file (#L10, #L10-L20).
const LINE_ANCHOR = /^L\d+(-L\d+)?$/;

/** Every Markdown file under root, as paths relative to it, in a stable order. */
export function markdownFiles(root: string, folder = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(path.join(root, folder), { withFileTypes: true })) {
    const relative = path.posix.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) found.push(...markdownFiles(root, relative));
    } else if (entry.name.endsWith('.md')) {
      found.push(relative);
    }
  }
  return found.sort();
}

/**
 * What is wrong with the links of one Markdown file (path relative to root): each problem names the
 * file, the line, the link and why it does not resolve inside the repository. Empty when all resolve.
 */
export function unresolvedLinks(root: string, file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const problems: string[] = [];
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (target: string): Set<string> => {
    let found = anchorsOf.get(target);
    if (!found) {
      found =
        target === file
          ? markdownAnchors(text)
          : markdownAnchors(readFileSync(path.join(root, target), 'utf8'));
      anchorsOf.set(target, found);
    }
    return found;
  };
  for (const { line, target } of markdownLinks(text)) {
    const report = (why: string) => problems.push(`${file}:${line}: link "${target}" ${why}`);
    if (EXTERNAL.test(target)) continue;
    if (ANY_SCHEME.test(target)) {
      report('uses a scheme other than http(s) or mailto');
      continue;
    }
    if (target.startsWith('/')) {
      report('is an absolute path: write it relative to the file');
      continue;
    }
    const hash = target.indexOf('#');
    const pathPart = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
    const fragment = hash === -1 ? '' : decodeURIComponent(target.slice(hash + 1));
    const resolved =
      pathPart === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), pathPart));
    if (resolved === '..' || resolved.startsWith('../')) {
      report(`points outside the repository (to ${resolved})`);
      continue;
    }
    const absolute = path.join(root, resolved);
    if (!existsSync(absolute)) {
      report(`points to ${resolved}, which does not exist`);
      continue;
    }
    if (fragment === '') continue;
    if (!resolved.endsWith('.md') || statSync(absolute).isDirectory()) {
      if (!LINE_ANCHOR.test(fragment))
        report(`has an anchor #${fragment} on ${resolved}, which is not Markdown`);
      continue;
    }
    if (!anchors(resolved).has(fragment))
      report(`points to #${fragment}, which no heading of ${resolved} makes`);
  }
  return problems;
}

// A code span that reads as a path in the repository: `src/durable/migrator.ts`, `test/chaos/`.
const NAMED_PATH = /`((?:src|test|bench|tools|deploy|docs|bin)\/[A-Za-z0-9_./-]*)`/g;
// Paths the docs name that the repository holds on purpose only on an operator's machine.
const MADE_BY_THE_OPERATOR = new Set(['deploy/.env']);

/**
 * Paths of the repository that a Markdown file names in code spans (`src/engine/reconciler.ts`) and
 * that do not exist: the docs say where a thing lives, so a moved or renamed file must move there too.
 * Placeholders (`migrations/NNNN_name.sql`) are skipped: they name no file.
 */
export function missingNamedPaths(root: string, file: string): string[] {
  const problems: string[] = [];
  readFileSync(path.join(root, file), 'utf8')
    .split('\n')
    .forEach((line, index) => {
      for (const match of line.matchAll(NAMED_PATH)) {
        const named = match[1]!;
        if (/NNNN|XXXX/.test(named) || MADE_BY_THE_OPERATOR.has(named)) continue;
        if (!existsSync(path.join(root, named))) {
          problems.push(`${file}:${index + 1}: names \`${named}\`, which does not exist`);
        }
      }
    });
  return problems;
}
