import { EVENT_NOTICE_SPREAD_MS, isEventNotice } from '../panel/broadcast-notice.js';

/**
 * Turns the channel's `"event": true` broadcasts into reads of its event: every view of the channel
 * hears a notice at once, so each reads within EVENT_NOTICE_SPREAD_MS (spread, not in the same
 * millisecond), and notices that come while a read waits (a busy sign-up sends one a second) share it.
 */
export class EventNoticeReads {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly read: () => void,
    private readonly random: () => number = Math.random,
  ) {}

  /** A broadcast arrived (Twitch.ext.listen('broadcast', …)). */
  heard(message: string): void {
    if (this.timer !== undefined || !isEventNotice(message)) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.read();
    }, this.random() * EVENT_NOTICE_SPREAD_MS);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
