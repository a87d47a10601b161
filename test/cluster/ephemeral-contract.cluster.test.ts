import { afterAll } from 'vitest';
import { startRedisCluster } from '../support/redis-cluster.js';

// A real Redis Cluster (3 masters, 3 replicas) on spare ports; the ephemeral contract suites then run
// against it alone (ephemeral-backends.ts reads TEST_REDIS_CLUSTER_URL): every script and multi-key
// read must stay within one slot, or the cluster refuses it (CROSSSLOT).
const cluster = await startRedisCluster();
process.env.TEST_REDIS_CLUSTER_URL = cluster.url;
afterAll(() => cluster.stop());

await import('../ephemeral/ephemeral-store.contract.test.js');
await import('../ephemeral/tick-protocol.contract.test.js');
await import('../ephemeral/viewer-cache.contract.test.js');
await import('../ephemeral/lobby-store.contract.test.js');
await import('../ephemeral/broadcast-queue.contract.test.js');
await import('../ephemeral/mission-votes.contract.test.js');
await import('../ephemeral/event-board.contract.test.js');
await import('../ephemeral/schedule-shards.test.js');
await import('../ephemeral/event-board.schedule-shards.test.js');
