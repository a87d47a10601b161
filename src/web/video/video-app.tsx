import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ChannelEvent } from '../api/api-types.js';
import { HoldoutApi } from '../api/holdout-api.js';
import { EventHighlights, EventMeter, EventPhase, EventTop } from '../events/event-meter.js';
import { eventTitle, isOpen } from '../events/event-words.js';
import { useCurrentEvent } from '../events/use-current-event.js';
import { useNow } from '../panel/ui.js';
import type { TwitchExt } from '../twitch/twitch-ext.js';

/** How long an ended event's result stays on stream, in ms. */
const RESULT_SHOWN_MS = 90_000;
/** Lines that fit the card beside the stream. */
const HIGHLIGHTS_SHOWN = 3;
const TOP_SHOWN = 3;

/** Whether the event belongs on stream now: while it signs up or runs, and a while after it ends. */
function onStream(event: ChannelEvent | null, now: number): event is ChannelEvent {
  if (event === null) return false;
  if (isOpen(event)) return true;
  return event.status !== 'cancelled' && now - (event.endedAt ?? 0) < RESULT_SHOWN_MS;
}

/**
 * The video view (Twitch's video overlay and video component): a card in a corner of the stream
 * with the channel's event — sign-up, the shared goal filling up, the latest highlights, then the
 * result — so that a viewer who never opens the panel sees it. Nothing is drawn without an event.
 */
export function VideoApp({ ext }: { ext: TwitchExt }) {
  const token = useRef<string | null>(null);
  const api = useMemo(() => new HoldoutApi(() => token.current), []);
  const [ready, setReady] = useState(false);
  const { current } = useCurrentEvent(api, ready);
  const now = useNow(1000);

  useEffect(() => {
    ext.onAuthorized((auth) => {
      token.current = auth.token;
      setReady(true);
    });
  }, [ext]);

  const event = current?.event ?? null;
  if (!onStream(event, now)) return null;
  return (
    <aside class="video-card" aria-live="polite" data-testid="video-event">
      <h1>{eventTitle(event)}</h1>
      <p class="video-phase">
        <EventPhase event={event} now={now} />
      </p>
      {event.status === 'signup' ? (
        <p>Join from the Holdout panel below the stream!</p>
      ) : (
        <EventMeter event={event} />
      )}
      {event.status === 'running' && <EventHighlights event={event} max={HIGHLIGHTS_SHOWN} />}
      {event.result && <EventTop event={event} max={TOP_SHOWN} />}
    </aside>
  );
}
