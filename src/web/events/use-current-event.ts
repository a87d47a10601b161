import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { CurrentEvent } from '../api/api-types.js';
import { describeError } from '../api/holdout-api.js';
import { isOpen } from './event-words.js';

/**
 * How often a view asks for the channel's event, in ms: often while one signs up or runs, rarely
 * otherwise (every viewer of the stream loads the video view; the server reads a channel's event
 * once a second however many ask).
 */
export const EVENT_POLL_OPEN_MS = 2_000;
export const EVENT_POLL_IDLE_MS = 10_000;

export interface CurrentEventState {
  current: CurrentEvent | null;
  /** The last failure, in words; null once a read succeeds again. */
  error: string | null;
  /** Reads it now (after an action), then keeps to the schedule. */
  refresh(): void;
}

/**
 * The channel's current event, kept fresh while `ready` (the view has its credentials). `readEvent`
 * asks for it (the API with the Twitch token, or the OBS page with its secret); keep it stable.
 */
export function useCurrentEvent(readEvent: () => Promise<CurrentEvent>, ready: boolean): CurrentEventState {
  const [current, setCurrent] = useState<CurrentEvent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const generation = useRef(0);

  const read = useCallback(async () => {
    clearTimeout(timer.current);
    const mine = ++generation.current;
    let next = EVENT_POLL_IDLE_MS;
    try {
      const fresh = await readEvent();
      // An older read that answers late must not overwrite a newer one.
      if (mine !== generation.current) return;
      setCurrent(fresh);
      setError(null);
      if (isOpen(fresh.event)) next = EVENT_POLL_OPEN_MS;
    } catch (e) {
      if (mine !== generation.current) return;
      setError(describeError(e));
    }
    timer.current = setTimeout(() => void read(), next);
  }, [readEvent]);

  useEffect(() => {
    if (!ready) return;
    void read();
    return () => {
      clearTimeout(timer.current);
      generation.current++;
    };
  }, [ready, read]);

  return { current, error, refresh: () => void read() };
}
