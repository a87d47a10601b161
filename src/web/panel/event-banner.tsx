import { useCallback, useEffect, useState } from 'preact/hooks';
import { EventMeter } from '../events/event-meter.js';
import { EVENT_KIND_NAMES, isOpen, OUTCOME_WORDS } from '../events/event-words.js';
import { useCurrentEvent } from '../events/use-current-event.js';
import type { PanelStore } from './panel-store.js';
import { clock, useNow } from './ui.js';

/** How long the panel shows the viewer's own result after an event ends, in ms. */
const RESULT_SHOWN_MS = 120_000;

/**
 * The channel's event above the panel's tabs: while it signs up, the viewer commits one survivor
 * (or takes it back); while it runs, the shared goal; once it ends, what the viewer earned.
 */
export function EventBanner({ store }: { store: PanelStore }) {
  const readEvent = useCallback(() => store.api.currentEvent(true), [store.api]);
  // With broadcasts its timed reads are slow (event-read-pace.ts): the notices say when to read.
  const { current, refresh } = useCurrentEvent(readEvent, store.auth !== null, store.broadcasts);
  // A broadcast said the event changed: read it now rather than at the next timed read.
  const { eventNotices } = store;
  useEffect(() => {
    if (eventNotices > 0) refresh();
  }, [eventNotices]);
  const now = useNow(1000, store.clockOffset);
  const living = (store.poll?.survivors ?? []).filter((s) => s.state !== 'dead');
  const [picked, setPicked] = useState<string | null>(null);
  const event = current?.event ?? null;
  const yours = current?.yours ?? null;
  if (!event) return null;
  const ended = !isOpen(event);
  if (ended && (!yours?.reward || now - (event.endedAt ?? 0) > RESULT_SHOWN_MS)) return null;

  const act = (action: () => Promise<unknown>) => void store.act(action).then(refresh);
  const survivorId = picked ?? living[0]?.id ?? null;
  const title = `${EVENT_KIND_NAMES[event.kind]} · ${event.locationName}`;

  return (
    <section class="event-banner" aria-label="Channel event" data-testid="event-banner">
      <div class="event-banner-head">
        <strong>{title}</strong>
        <span class="muted">
          {event.status === 'signup'
            ? `sign-up ${clock(event.signupEndsAt - now)} · ${event.participants} in`
            : event.status === 'running'
              ? `${event.participants} in`
              : event.result && OUTCOME_WORDS[event.result.outcome]}
        </span>
      </div>
      {event.status === 'running' && <EventMeter event={event} />}
      {event.status === 'signup' &&
        (yours ? (
          <div class="row">
            <span data-testid="event-yours">You're in with {yours.name}</span>
            <button type="button" class="small" onClick={() => act(() => store.api.leaveEvent(event.id))}>
              Leave
            </button>
          </div>
        ) : !store.loggedIn ? (
          <button type="button" class="small" onClick={store.requestIdShare}>
            Log in to join
          </button>
        ) : living.length === 0 ? (
          <span class="muted">Recruit a survivor to join.</span>
        ) : (
          <div class="row">
            <select
              aria-label="Survivor to send"
              value={survivorId ?? ''}
              onChange={(e) => setPicked(e.currentTarget.value)}
            >
              {living.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
            <button
              type="button"
              class="small primary"
              disabled={store.busy || survivorId === null}
              onClick={() => survivorId && act(() => store.api.joinEvent(event.id, survivorId))}
            >
              Join event
            </button>
          </div>
        ))}
      {event.status === 'running' && yours && <span class="muted">{yours.name} is out there.</span>}
      {ended && yours?.reward && (
        <span data-testid="event-reward">
          {yours.name}: {yours.reward.contribution} toward the goal, rank {yours.reward.rank}, +
          {yours.reward.xp} XP
        </span>
      )}
    </section>
  );
}
