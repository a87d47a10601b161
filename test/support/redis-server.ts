import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export interface RedisServer {
  port: number;
  /** redis://127.0.0.1:port, without credentials. */
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * A private redis-server on a spare port, for tests that need a Redis configured their own way (ACL
 * files, no auth). Never the machine's shared Redis: that one is never reconfigured or flushed.
 */
export async function startRedisServer(
  extraArgs: string[] = [],
  /** A port chosen beforehand (a Redis that comes up where a process already looks for it). */
  chosenPort?: number,
): Promise<RedisServer> {
  const port = chosenPort ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'holdout-redis-'));
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
  let output = '';
  const exited = once(child, 'exit');
  try {
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      void exited.then(() => reject(new Error(`redis-server exited before it was ready:\n${output}`)));
      setTimeout(() => reject(new Error(`redis-server did not start in 10 s:\n${output}`)), 10_000).unref();
    });
  } catch (error) {
    // Never leave a half-started server behind.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
