import type { EphemeralStore } from '../../src/ephemeral/ephemeral-store.js';
import { RedisStore } from '../../src/ephemeral/redis-store.js';
import { TestMemoryStore } from '../support/ephemeral-test-access.js';
import { deleteClusterKeysWithPrefix } from '../support/redis-cluster.js';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueName } from '../support/services.js';

export interface OpenedStore {
  store: EphemeralStore;
  /** Closes the store and removes everything it wrote. */
  dispose(): Promise<void>;
}

/**
 * The Redis the Redis backends use: the shared one, or the Redis Cluster test/cluster starts (it sets
 * TEST_REDIS_CLUSTER_URL before it loads the contract suites, which then run on the cluster alone).
 */
export const testRedis = process.env.TEST_REDIS_CLUSTER_URL
  ? {
      name: 'redis cluster',
      url: process.env.TEST_REDIS_CLUSTER_URL,
      deleteKeysWithPrefix: (prefix: string) =>
        deleteClusterKeysWithPrefix(process.env.TEST_REDIS_CLUSTER_URL!, prefix),
    }
  : {
      name: 'redis',
      url: TEST_REDIS_URL,
      deleteKeysWithPrefix: (prefix: string) => deleteKeysWithPrefix(prefix),
    };

const redisBackend = {
  name: testRedis.name,
  open(): OpenedStore {
    const prefix = `${uniqueName('t')}:`;
    const store = new RedisStore({ url: testRedis.url, keyPrefix: prefix });
    return {
      store,
      async dispose() {
        await store.close();
        await testRedis.deleteKeysWithPrefix(prefix);
      },
    };
  },
};

/** Every implementation of EphemeralStore; contract suites run once per entry (on a cluster: that alone). */
export const ephemeralBackends: { name: string; open(): OpenedStore }[] = [
  redisBackend,
  {
    name: 'in-process',
    open() {
      const store = new TestMemoryStore({ keyPrefix: `${uniqueName('t')}:` });
      return { store, dispose: () => store.close() };
    },
  },
].filter((backend) => !process.env.TEST_REDIS_CLUSTER_URL || backend === redisBackend);
