import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChannelEvent } from '../../src/web/api/api-types.js';
import { EVENT_NOTICE_MIN_GAP_MS, EventNoticeReads } from '../../src/web/events/event-notice-reads.js';
import {
  EVENT_POLL_IDLE_MS,
  EVENT_POLL_OPEN_MS,
  EVENT_RUNNING_PUSH_MS,
  EVENT_SAFETY_READ_MS,
  EVENT_SIGNUP_PUSH_MS,
  nextEventReadMs,
} from '../../src/web/events/event-read-pace.js';
import { nextSeasonReadMs, SEASON_POLL_MS, SEASON_POLL_PUSH_MS } from '../../src/web/events/season-meter.js';

const withStatus = (status: ChannelEvent['status']) => ({ status }) as ChannelEvent;

describe("a view's reads of the channel event", () => {
  it('without broadcasts, keep the polling pace: 2 s while one is open, 10 s otherwise', () => {
    expect(nextEventReadMs(null, false)).toBe(EVENT_POLL_IDLE_MS);
    expect(nextEventReadMs(withStatus('succeeded'), false)).toBe(EVENT_POLL_IDLE_MS);
    expect(nextEventReadMs(withStatus('signup'), false)).toBe(EVENT_POLL_OPEN_MS);
    expect(nextEventReadMs(withStatus('running'), false)).toBe(EVENT_POLL_OPEN_MS);
  });

  it('with broadcasts and none open, come only as a safety read spread over 0.5-1.5 times its interval', () => {
    expect(nextEventReadMs(null, true, () => 0)).toBe(EVENT_SAFETY_READ_MS / 2);
    expect(nextEventReadMs(withStatus('succeeded'), true, () => 0.5)).toBe(EVENT_SAFETY_READ_MS);
    expect(nextEventReadMs(null, true, () => 0.999)).toBeLessThan(EVENT_SAFETY_READ_MS * 1.5);
    // 0.2 a viewer-minute on average: under a tenth of the 2 a minute an idle viewer may cost.
    expect(60_000 / EVENT_SAFETY_READ_MS).toBeLessThanOrEqual(0.2);
  });

  it('with broadcasts and one open, read at the pace its progress moves, and retry a failure at the sign-up pace', () => {
    expect(nextEventReadMs(withStatus('signup'), true)).toBe(EVENT_SIGNUP_PUSH_MS);
    expect(nextEventReadMs(withStatus('running'), true)).toBe(EVENT_RUNNING_PUSH_MS);
    expect(nextEventReadMs(undefined, true)).toBe(EVENT_SIGNUP_PUSH_MS);
  });

  it('read the season every minute, or about every 10 minutes with broadcasts', () => {
    expect(nextSeasonReadMs(false)).toBe(SEASON_POLL_MS);
    expect(nextSeasonReadMs(true, () => 0.5)).toBe(SEASON_POLL_PUSH_MS);
  });
});

describe('event notices', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('make one read within the spread, shared by the notices that come while it waits', async () => {
    const reads: number[] = [];
    const notices = new EventNoticeReads(
      () => reads.push(Date.now()),
      () => 0.5,
    );
    notices.heard('{"v":1,"event":true}');
    notices.heard('{"v":1,"channel":true,"event":true}');
    notices.heard('{"v":1,"missions":["m1"]}');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(reads).toEqual([500]);
    notices.heard('{"v":1,"missions":["m1"]}');
    notices.heard('not json');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(reads).toEqual([500]);
    notices.heard('{"v":1,"event":true}');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(reads).toEqual([500, 4_500]);
  });

  it("of a busy sign-up read at most once per 2 s: inside the viewer's 60 reads a minute with the timed ones", async () => {
    const reads: number[] = [];
    const notices = new EventNoticeReads(
      () => reads.push(Date.now()),
      () => 0.5,
    );
    // The broadcast sender's bucket: a burst of 5, then one a second, for a minute.
    for (let i = 0; i < 5; i++) notices.heard('{"v":1,"event":true}');
    for (let second = 1; second <= 60; second++) {
      await vi.advanceTimersByTimeAsync(1_000);
      notices.heard('{"v":1,"event":true}');
    }
    await vi.advanceTimersByTimeAsync(EVENT_NOTICE_MIN_GAP_MS);
    const gaps = reads.slice(1).map((at, i) => at - reads[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(EVENT_NOTICE_MIN_GAP_MS);
    const inFirstMinute = reads.filter((at) => at < 60_000).length;
    const timedReads = 60_000 / EVENT_SIGNUP_PUSH_MS;
    expect(inFirstMinute).toBeGreaterThanOrEqual(25);
    expect(inFirstMinute + timedReads).toBeLessThanOrEqual(60 * 0.6);
  });
});
