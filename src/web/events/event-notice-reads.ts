import { EVENT_NOTICE_SPREAD_MS, isEventNotice } from '../panel/broadcast-notice.js';

/**
 * Reads made on notices are at least this far apart, in ms. A busy sign-up broadcasts up to 65 notices
 * a minute (a burst of 5, then one a second); a read on each would pass the viewer's 60 reads a minute
 * of `events.current` and be refused (429) for the rest of the window. At most 30 notice reads a
 * minute, plus the timed reads (2 in a sign-up, 12 while running), stay well inside it.
 */
export const EVENT_NOTICE_MIN_GAP_MS = 2_000;

/**
 * Turns the channel's `"event": true` broadcasts into reads of its event: every view of the channel
 * hears a notice at once, so each reads within EVENT_NOTICE_SPREAD_MS (spread, not in the same
 * millisecond), notices that come while a read waits share it, and two such reads are at least
 * EVENT_NOTICE_MIN_GAP_MS apart.
 */
export class EventNoticeReads {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastReadAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly read: () => void,
    private readonly random: () => number = Math.random,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  /** A broadcast arrived (Twitch.ext.listen('broadcast', …)). */
  heard(message: string): void {
    if (this.timer !== undefined || !isEventNotice(message)) return;
    const spread = this.random() * EVENT_NOTICE_SPREAD_MS;
    const gapLeft = this.lastReadAt + EVENT_NOTICE_MIN_GAP_MS - this.clock();
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.lastReadAt = this.clock();
        this.read();
      },
      Math.max(spread, gapLeft),
    );
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
