import type { EphemeralStore } from './ephemeral-store.js';
import { MemoryStore } from './memory-store.js';
import { RedisStore } from './redis-store.js';

export interface EphemeralSettings {
  /** A redis:// URL; without it the store lives in this process (embedded mode, one process only). */
  REDIS_URL?: string | undefined;
  REDIS_KEY_PREFIX: string;
  /** Schedule shards (keys.ts); every process of one deployment must use the same count. @default 1 */
  REDIS_SCHEDULE_SHARDS?: number;
}

export function openEphemeralStore(
  settings: EphemeralSettings,
  onConnectionError?: (error: Error) => void,
): EphemeralStore {
  if (settings.REDIS_URL) {
    const { REDIS_URL: url, REDIS_KEY_PREFIX: keyPrefix, REDIS_SCHEDULE_SHARDS: scheduleShards } = settings;
    return new RedisStore({ url, keyPrefix, scheduleShards, onConnectionError });
  }
  return new MemoryStore({ keyPrefix: settings.REDIS_KEY_PREFIX });
}
