import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiProblem } from '../../src/web/api/holdout-api.js';
import { type PollResult, PollScheduler } from '../../src/web/api/poll-scheduler.js';

/** A scheduler whose polls answer from `answers` in turn, with no jitter (random = 0.5 → factor 1). */
function schedulerWith(answers: (() => PollResult)[]) {
  const at: number[] = [];
  const failures: number[] = [];
  const scheduler = new PollScheduler({
    poll: async () => {
      at.push(Date.now());
      const answer = answers[Math.min(at.length - 1, answers.length - 1)]!;
      return answer();
    },
    onStatus: (failure) => {
      if (failure) failures.push(failure.retryInMs);
    },
    random: () => 0.5,
  });
  return { scheduler, at, failures };
}

const changed = (inMs: number): (() => PollResult) => {
  return () => ({ kind: 'changed', serverTime: 1_000_000, nextPollAt: 1_000_000 + inMs, ticking: true });
};
const failing = (error: Error) => () => {
  throw error;
};

describe('the panel polls', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('at the time the server names, in the server clock, plus jitter', async () => {
    const { scheduler, at } = schedulerWith([changed(3_000)]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(10_000);
    scheduler.stop();
    // 3 000 ms as named, plus half of the 250 ms jitter.
    expect(at.slice(0, 4)).toEqual([0, 3_125, 6_250, 9_375]);
  });

  it('backs off, doubling, while the server fails, and reports each failure', async () => {
    const { scheduler, at, failures } = schedulerWith([failing(new ApiProblem(0, 'network', 'down'))]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(16_000);
    scheduler.stop();
    expect(at).toEqual([0, 1_000, 3_000, 7_000, 15_000]);
    expect(failures.slice(0, 4)).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it("waits as long as a 429's Retry-After says", async () => {
    const limited = new ApiProblem(429, 'rate_limited', 'Too many requests', 7_000);
    const { scheduler, at } = schedulerWith([failing(limited), changed(60_000)]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(8_000);
    scheduler.stop();
    expect(at).toEqual([0, 7_125]);
  });

  it('stops while hidden and polls at once when shown again', async () => {
    const { scheduler, at } = schedulerWith([changed(2_000)]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(100);
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(at).toEqual([0]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(at).toEqual([0, 30_100]);
    scheduler.stop();
  });
});

const idle: () => PollResult = () => ({
  kind: 'changed',
  serverTime: 1_000_000,
  nextPollAt: 1_000_000 + 5_000,
  ticking: false,
});

describe('with Extension PubSub broadcasts on, the panel', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("polls an idle viewer's state 1.5 times a minute at most instead of every 5 s", async () => {
    const { scheduler, at } = schedulerWith([idle]);
    scheduler.setPush(true);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(120_000);
    scheduler.stop();
    expect(at.length).toBeLessThanOrEqual(1 + 3);
    expect(at.slice(0, 3)).toEqual([0, 40_125, 80_250]);
  });

  it('polls within the spread when told, and then returns to the slow pace', async () => {
    const { scheduler, at } = schedulerWith([idle]);
    scheduler.setPush(true);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(10_000);
    scheduler.told(250);
    await vi.advanceTimersByTimeAsync(200);
    scheduler.stop();
    // Told at 10 000: polled 125 ms later (half the spread), not at 40 125.
    expect(at).toEqual([0, 10_125]);
  });

  it('falls back to a poll a few seconds past the tick when no notice came', async () => {
    const { scheduler, at } = schedulerWith([changed(5_000)]);
    scheduler.setPush(true);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(10_000);
    scheduler.stop();
    expect(at).toEqual([0, 9_125]);
  });

  it('moves a poll set at the polling pace to the slow pace when it learns of broadcasts after it', async () => {
    const inLobby: () => PollResult = () => ({
      kind: 'changed',
      serverTime: 1_000_000,
      nextPollAt: 1_002_000,
      ticking: false,
    });
    const { scheduler, at } = schedulerWith([inLobby]);
    scheduler.start();
    // The first poll (at 0) named a poll in 2 s; the catalog saying broadcasts are on arrives at 500.
    await vi.advanceTimersByTimeAsync(500);
    scheduler.setPush(true);
    await vi.advanceTimersByTimeAsync(50_000);
    scheduler.stop();
    // Not at 2 125: 40 s after the news, plus half the jitter.
    expect(at.slice(0, 2)).toEqual([0, 40_625]);
  });
});
