import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChainableCommander } from 'ioredis';
import type { RedisConnection } from './redis-connection.js';

const SCRIPTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'scripts');

/** A Lua script from scripts/, with how many of its arguments are keys. */
export interface LuaScript {
  readonly name: string;
  /** null: the count varies per call and is passed as the first argument, as EVALSHA takes it. */
  readonly numberOfKeys: number | null;
  readonly source: string;
  /** The ioredis command that runs it. */
  readonly command: string;
}

const readScript = (name: string) => readFileSync(join(SCRIPTS_DIR, `${name}.lua`), 'utf8');

// ioredis sends EVALSHA and falls back to EVAL on NOSCRIPT (a restarted or flushed Redis),
// in plain calls and in pipelines alike, once a script is defined as a command.
// `fragments` (files of scripts/ that define local functions) are put before the script's own source,
// so scripts share code without Redis functions (which a cluster would have to load on every node).
export function luaScript(
  name: string,
  numberOfKeys: number | null,
  fragments: readonly string[] = [],
): LuaScript {
  return {
    name,
    numberOfKeys,
    source: [...fragments, name].map(readScript).join('\n'),
    command: `holdout_${name.replaceAll('-', '_')}`,
  };
}

type ScriptRunner = (...args: (string | number)[]) => Promise<unknown>;

export function defineScripts(redis: RedisConnection, scripts: readonly LuaScript[]): void {
  for (const script of scripts) {
    redis.defineCommand(script.command, {
      ...(script.numberOfKeys === null ? {} : { numberOfKeys: script.numberOfKeys }),
      lua: script.source,
    });
  }
}

export function runScript(
  target: RedisConnection | ChainableCommander,
  script: LuaScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  const runner = (target as unknown as Record<string, ScriptRunner>)[script.command];
  if (!runner) throw new Error(`Lua script ${script.name} was not defined on this connection`);
  return runner.call(target, ...keys, ...args);
}
