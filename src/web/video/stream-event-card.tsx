import type { ChannelEvent } from '../api/api-types.js';
import { EventHighlights, EventMeter, EventPhase, EventTop } from '../events/event-meter.js';
import { eventTitle, isOpen } from '../events/event-words.js';
import { useNow } from '../panel/ui.js';

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
 * The card drawn over the stream (the video view, the OBS page): the channel's event — sign-up, the
 * shared goal filling up, the latest highlights, then the result. Nothing without an event.
 */
export function StreamEventCard({ event }: { event: ChannelEvent | null }) {
  const now = useNow(1000);
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
