import { once } from 'node:events';
import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CoalescingRedis } from '../../src/ephemeral/coalescing-redis.js';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueName } from '../support/services.js';

/** Counts the writes that reach the socket's handle (each one a system call), not the buffered ones. */
function countSocketWrites(socket: Socket): { count: () => number } {
  const internals = socket as unknown as Record<'_write' | '_writev', (...args: unknown[]) => void>;
  const write = vi.spyOn(internals, '_write');
  const writev = vi.spyOn(internals, '_writev');
  return { count: () => write.mock.calls.length + writev.mock.calls.length };
}

describe('CoalescingRedis', () => {
  let redis: CoalescingRedis;
  let prefix: string;
  beforeEach(async () => {
    prefix = `${uniqueName('coalesce')}:`;
    redis = new CoalescingRedis(TEST_REDIS_URL);
    await redis.ping();
  });
  afterEach(async () => {
    redis.disconnect();
    await deleteKeysWithPrefix(prefix);
  });

  it('sends the commands of one event-loop turn in one socket write, in the order they were sent', async () => {
    const writes = countSocketWrites(redis.stream as Socket);
    const replies = Array.from({ length: 40 }, () => redis.incr(`${prefix}n`));
    expect(await Promise.all(replies)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(writes.count()).toBe(1);

    // The next turn's commands go out in a write of their own.
    await Promise.all([redis.get(`${prefix}n`), redis.incr(`${prefix}n`)]);
    expect(writes.count()).toBe(2);
  });

  it('keeps coalescing on the new socket after a reconnect', async () => {
    const before = redis.stream;
    redis.disconnect(true);
    await once(redis, 'ready');
    expect(redis.stream).not.toBe(before);
    const writes = countSocketWrites(redis.stream as Socket);
    const replies = await Promise.all([
      redis.set(`${prefix}k`, 'v'),
      redis.get(`${prefix}k`),
      redis.del(`${prefix}k`),
    ]);
    expect(replies).toEqual(['OK', 'v', 1]);
    expect(writes.count()).toBe(1);
  });
});
