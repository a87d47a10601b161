import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';

// The unit project's setup file (test/support/unit-isolation.setup.ts) keeps its attempts here.
const isolation = (globalThis as { holdoutUnitIsolation?: { attempts: string[] } }).holdoutUnitIsolation;

describe('the unit project', () => {
  // These attempts are this file's own, on purpose: they must not fail it at the end.
  afterEach(() => {
    if (isolation) isolation.attempts.length = 0;
  });

  it('runs under the isolation setup', () => {
    expect(isolation).toBeDefined();
  });

  it('refuses a unit test that starts a process', () => {
    expect(() => spawn('redis-server')).toThrow(/a unit test started a process/);
  });

  it('refuses a unit test that connects to Postgres or Redis', () => {
    for (const port of [5432, 6379]) {
      expect(() => net.connect({ port, host: '127.0.0.1' })).toThrow(`connected to port ${port}`);
    }
  });
});
