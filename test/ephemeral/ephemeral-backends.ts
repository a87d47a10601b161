import type { EphemeralStore } from '../../src/ephemeral/ephemeral-store.js';
import { RedisStore } from '../../src/ephemeral/redis-store.js';
import { TestMemoryStore } from '../support/ephemeral-test-access.js';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueName } from '../support/services.js';

export interface OpenedStore {
  store: EphemeralStore;
  /** Closes the store and removes everything it wrote. */
  dispose(): Promise<void>;
}

/** Every implementation of EphemeralStore; contract suites run once per entry. */
export const ephemeralBackends: { name: string; open(): OpenedStore }[] = [
  {
    name: 'redis',
    open() {
      const prefix = `${uniqueName('t')}:`;
      const store = new RedisStore({ url: TEST_REDIS_URL, keyPrefix: prefix });
      return {
        store,
        async dispose() {
          await store.close();
          await deleteKeysWithPrefix(prefix);
        },
      };
    },
  },
  {
    name: 'in-process',
    open() {
      const store = new TestMemoryStore({ keyPrefix: `${uniqueName('t')}:` });
      return { store, dispose: () => store.close() };
    },
  },
];
