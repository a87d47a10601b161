import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { type RedisServerProcess, spawnRedisServer } from './redis-server-process.js';

const run = promisify(execFile);

/** How long a node may go unanswered before the others fail it over, in ms: short, for tests. */
const NODE_TIMEOUT_MS = 2_000;
/** How long the whole cluster may take to form on a loaded machine, in ms. */
const FORM_DEADLINE_MS = 60_000;

export type ClusterNode = RedisServerProcess;

export interface RedisClusterServer {
  nodes: ClusterNode[];
  /** redis-cluster://127.0.0.1:p1,... of every node. */
  url: string;
  /** The node serving `key`'s slot as master now. */
  masterOf(key: string): Promise<ClusterNode>;
  /** Waits until every slot is served by a master that answers (after a failover, a reshard). */
  waitHealthy(deadlineMs?: number): Promise<void>;
  stop(): Promise<void>;
}

function listens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port that is free, and whose cluster bus port (port + 10000) is free too. */
async function freeClusterPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 25_000);
    if (taken.has(port) || taken.has(port + 10_000)) continue;
    if ((await listens(port)) && (await listens(port + 10_000))) {
      taken.add(port);
      taken.add(port + 10_000);
      return port;
    }
  }
}

/** A cluster node: a redis-server with cluster mode on, its node table in its own folder. */
function startNode(port: number): Promise<ClusterNode> {
  return spawnRedisServer(port, 'holdout-cluster-', [
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    'nodes.conf',
    '--cluster-node-timeout',
    String(NODE_TIMEOUT_MS),
    // A test cluster on one machine: replicas may be promoted however stale they are.
    '--cluster-replica-validity-factor',
    '0',
  ]);
}

async function clusterInfo(port: number): Promise<string> {
  const redis = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.cluster('INFO')) as string;
  } finally {
    redis.disconnect();
  }
}

/**
 * A real Redis Cluster on spare ports: `masters` masters with one replica each (redis-server
 * --cluster-enabled yes, then redis-cli --cluster create --cluster-replicas 1), ready when every
 * node that runs says cluster_state:ok and the whole slot range is assigned.
 */
export async function startRedisCluster(masters = 3): Promise<RedisClusterServer> {
  const taken = new Set<number>();
  const ports: number[] = [];
  for (let i = 0; i < masters * 2; i++) ports.push(await freeClusterPort(taken));
  const nodes = await Promise.all(ports.map(startNode));
  // Killed outright: its data is thrown away, so nothing needs a graceful shutdown.
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop('SIGKILL')));
  };
  try {
    await run(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ],
      { timeout: FORM_DEADLINE_MS },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const url = `redis-cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`;
  const server: RedisClusterServer = {
    nodes,
    url,
    async masterOf(key) {
      const cluster = new Cluster(ports.map((port) => ({ host: '127.0.0.1', port })));
      cluster.on('error', () => undefined);
      try {
        const slot = (await cluster.cluster('KEYSLOT', key)) as number;
        const slots = (await cluster.cluster('SLOTS')) as unknown as [number, number, [string, number]][];
        const owner = slots.find(([from, to]) => slot >= from && slot <= to);
        const node = nodes.find((n) => n.port === owner?.[2][1]);
        if (!node) throw new Error(`no master serves slot ${slot}`);
        return node;
      } finally {
        cluster.disconnect();
      }
    },
    async waitHealthy(deadlineMs = FORM_DEADLINE_MS) {
      const deadline = Date.now() + deadlineMs;
      let last = '';
      while (Date.now() < deadline) {
        const alive = nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
        const infos = await Promise.all(alive.map((n) => clusterInfo(n.port).catch((e: Error) => e.message)));
        if (
          infos.every((info) => info.includes('cluster_state:ok') && info.includes('cluster_slots_ok:16384'))
        ) {
          return;
        }
        last = infos.find((info) => !info.includes('cluster_state:ok')) ?? '';
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`the Redis Cluster was not healthy within ${deadlineMs} ms:\n${last}`);
    },
    stop,
  };
  try {
    await server.waitHealthy();
  } catch (error) {
    await stop();
    throw error;
  }
  return server;
}

/** Deletes every key under `prefix` on every master of a cluster. */
export async function deleteClusterKeysWithPrefix(url: string, prefix: string): Promise<void> {
  const seeds = url
    .slice('redis-cluster://'.length)
    .split(',')
    .map((node) => ({ host: node.split(':')[0]!, port: Number(node.split(':')[1]) }));
  const cluster = new Cluster(seeds);
  cluster.on('error', () => undefined);
  try {
    await new Promise((resolve) => cluster.once('ready', resolve));
    await Promise.all(
      cluster.nodes('master').map(async (node) => {
        let cursor = '0';
        do {
          const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          cursor = next;
          for (const key of keys) await node.del(key);
        } while (cursor !== '0');
      }),
    );
  } finally {
    cluster.disconnect();
  }
}
