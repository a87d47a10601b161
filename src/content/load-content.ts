import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import type { Content, Encounter } from '../game/index.js';
import { ContentError, formatPath } from './content-error.js';
import { crossCheck } from './cross-check.js';
import {
  difficultiesFileSchema,
  encountersFileSchema,
  itemsFileSchema,
  locationsFileSchema,
  lootFileSchema,
  modifiersFileSchema,
  narrationFileSchema,
  perksFileSchema,
  rulesFileSchema,
  stancesFileSchema,
  statusesFileSchema,
} from './schema.js';

/** The content shipped with the game. */
export const DEFAULT_CONTENT_DIR = fileURLToPath(new URL('./data/', import.meta.url));
const ENCOUNTERS_DIR = 'encounters';
const VERSION_HEX_CHARS = 16;

const loaded = new Map<string, Content>();

function readJson(dir: string, file: string): unknown {
  let text: string;
  try {
    text = readFileSync(join(dir, file), 'utf8');
  } catch (error) {
    throw new ContentError(file, '', `cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ContentError(file, '', `is not valid JSON: ${(error as Error).message}`);
  }
}

function parseFile<S extends z.ZodType>(dir: string, file: string, schema: S): z.output<S> {
  const result = schema.safeParse(readJson(dir, file));
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  // A bad record key carries its real reason one level down.
  const problem = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problems)` : '';
  throw new ContentError(file, formatPath(issue.path), `${problem}${more}`);
}

/** Key-sorted JSON, so the version depends on the content only, not on key order or formatting. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

// The loaded content is shared by every caller in the process, so nobody may change it.
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function loadEncounters(dir: string): { encounters: Record<string, Encounter>; files: Map<string, string> } {
  let names: string[];
  try {
    names = readdirSync(join(dir, ENCOUNTERS_DIR))
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch {
    throw new ContentError(`${ENCOUNTERS_DIR}/`, '', 'the encounters folder is missing');
  }
  const encounters: Record<string, Encounter> = {};
  const files = new Map<string, string>();
  for (const name of names) {
    const file = `${ENCOUNTERS_DIR}/${name}`;
    for (const [id, encounter] of Object.entries(parseFile(dir, file, encountersFileSchema))) {
      const earlier = files.get(id);
      if (earlier) throw new ContentError(file, id, `encounter id already defined in ${earlier}`);
      encounters[id] = encounter;
      files.set(id, file);
    }
  }
  return { encounters, files };
}

/**
 * Loads, validates and versions the content in `dir` (default: the shipped data). Memoized per
 * folder: content is read once per process. Throws ContentError naming the file, path and problem.
 */
export function loadContent(dir: string = DEFAULT_CONTENT_DIR): Content {
  const root = resolve(dir);
  const cached = loaded.get(root);
  if (cached) return cached;
  const { encounters, files } = loadEncounters(root);
  const unversioned = {
    rules: parseFile(root, 'rules.json', rulesFileSchema),
    difficulties: parseFile(root, 'difficulties.json', difficultiesFileSchema),
    statuses: parseFile(root, 'statuses.json', statusesFileSchema),
    modifiers: parseFile(root, 'modifiers.json', modifiersFileSchema),
    perks: parseFile(root, 'perks.json', perksFileSchema),
    locations: parseFile(root, 'locations.json', locationsFileSchema),
    stances: parseFile(root, 'stances.json', stancesFileSchema),
    items: parseFile(root, 'items.json', itemsFileSchema),
    loot: parseFile(root, 'loot.json', lootFileSchema),
    encounters,
    narration: parseFile(root, 'narration.json', narrationFileSchema),
  } satisfies Omit<Content, 'version'>;
  crossCheck(unversioned, files);
  const version = createHash('sha256')
    .update(canonicalJson(unversioned))
    .digest('hex')
    .slice(0, VERSION_HEX_CHARS);
  const content: Content = deepFreeze({ version, ...unversioned });
  loaded.set(root, content);
  return content;
}
