import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How long a redis-server may take to say it is ready, in ms. */
const READY_DEADLINE_MS = 10_000;

/** One throwaway redis-server process and the private data folder it runs in. */
export interface RedisServerProcess {
  port: number;
  child: ChildProcess;
  /** Its own temporary --dir, removed by stop(). */
  dir: string;
  /** Settles when the process has exited, whoever stopped it. */
  exited: Promise<unknown>;
  /** Signals the process unless it has already exited, waits for it, then removes its folder. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Spawns redis-server on `port` (bound to 127.0.0.1, nothing saved to disk) in a fresh temporary
 * folder named after `dirPrefix`, with `extraArgs` after the common ones, and resolves once it logs
 * that it is ready. If it exits or stays silent first, it is killed, its folder removed, and the
 * error carries everything it printed.
 */
export async function spawnRedisServer(
  port: number,
  dirPrefix: string,
  extraArgs: string[] = [],
): Promise<RedisServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), dirPrefix));
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const running = () => child.exitCode === null && child.signalCode === null;
  let output = '';
  const exited = once(child, 'exit');
  try {
    await new Promise<void>((resolve, reject) => {
      // Kept reading after ready too: a pipe nobody drains would stall the server's logging.
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      const fail = (why: string) => reject(new Error(`redis-server on port ${port} ${why}:\n${output}`));
      void exited.then(() => fail('exited before it was ready'));
      setTimeout(() => fail(`did not start in ${READY_DEADLINE_MS} ms`), READY_DEADLINE_MS).unref();
    });
  } catch (error) {
    // Never leave a half-started server behind.
    if (running()) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    child,
    dir,
    exited,
    async stop(signal = 'SIGTERM') {
      if (running()) child.kill(signal);
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
