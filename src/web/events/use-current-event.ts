import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { CurrentEvent } from '../api/api-types.js';
import { describeError } from '../api/holdout-api.js';
import { nextEventReadMs } from './event-read-pace.js';

export { EVENT_POLL_IDLE_MS, EVENT_POLL_OPEN_MS } from './event-read-pace.js';

export interface CurrentEventState {
  current: CurrentEvent | null;
  /** The last failure, in words; null once a read succeeds again. */
  error: string | null;
  /** Reads it now (after an action or an event notice), then keeps to the schedule. */
  refresh(): void;
}

/**
 * The channel's current event, kept fresh while `ready` (the view has its credentials). `readEvent`
 * asks for it (the API with the Twitch token, or the OBS page with its secret); keep it stable. `push`:
 * Extension PubSub broadcasts announce its changes (the caller refreshes on each notice), so the timed
 * reads slow down (event-read-pace.ts).
 */
export function useCurrentEvent(
  readEvent: () => Promise<CurrentEvent>,
  ready: boolean,
  push = false,
): CurrentEventState {
  const [current, setCurrent] = useState<CurrentEvent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const generation = useRef(0);
  const pushRef = useRef(push);
  pushRef.current = push;
  /** What the last read found (undefined: it failed, or none yet) and when it answered. */
  const last = useRef<{ event: CurrentEvent['event'] | undefined; at: number } | null>(null);

  const read = useCallback(async () => {
    clearTimeout(timer.current);
    // None planned while it reads: the answer plans the next one.
    timer.current = undefined;
    const mine = ++generation.current;
    let event: CurrentEvent['event'] | undefined;
    try {
      const fresh = await readEvent();
      // An older read that answers late must not overwrite a newer one.
      if (mine !== generation.current) return;
      setCurrent(fresh);
      setError(null);
      event = fresh.event;
    } catch (e) {
      if (mine !== generation.current) return;
      setError(describeError(e));
    }
    last.current = { event, at: Date.now() };
    timer.current = setTimeout(() => void read(), nextEventReadMs(event, pushRef.current));
  }, [readEvent]);

  // Broadcasts learned of after a read (the catalog answers after the first event read): the read
  // planned at the polling pace moves to the broadcast pace, counted from that read.
  useEffect(() => {
    const done = last.current;
    if (!ready || done === null || timer.current === undefined) return;
    clearTimeout(timer.current);
    const wait = Math.max(0, done.at + nextEventReadMs(done.event, push) - Date.now());
    timer.current = setTimeout(() => void read(), wait);
  }, [push, ready, read]);

  useEffect(() => {
    if (!ready) return;
    void read();
    return () => {
      clearTimeout(timer.current);
      timer.current = undefined;
      generation.current++;
    };
  }, [ready, read]);

  return { current, error, refresh: () => void read() };
}
