import type { EphemeralStore } from './ephemeral-store.js';
import { MemoryStore } from './memory-store.js';
import { RedisStore } from './redis-store.js';

export interface EphemeralSettings {
  /** A redis:// URL; without it the store lives in this process (embedded mode, one process only). */
  REDIS_URL?: string | undefined;
  REDIS_KEY_PREFIX: string;
}

export function openEphemeralStore(settings: EphemeralSettings): EphemeralStore {
  if (settings.REDIS_URL)
    return new RedisStore({ url: settings.REDIS_URL, keyPrefix: settings.REDIS_KEY_PREFIX });
  return new MemoryStore({ keyPrefix: settings.REDIS_KEY_PREFIX });
}
