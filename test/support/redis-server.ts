import type { ChildProcess } from 'node:child_process';
import { freePort } from './free-port.js';
import { spawnRedisServer } from './redis-server-process.js';

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
  const server = await spawnRedisServer(port, 'holdout-redis-', extraArgs);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    child: server.child,
    stop: () => server.stop('SIGTERM'),
  };
}
