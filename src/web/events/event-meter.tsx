import type { ChannelEvent } from '../api/api-types.js';
import { PlayerTag } from '../panel/player-tag.js';
import { clock } from '../panel/ui.js';
import { GOAL_UNITS, OUTCOME_WORDS } from './event-words.js';

/** The shared goal as a bar: how far the channel got, of how much, in the event's own unit. */
export function EventMeter({ event }: { event: ChannelEvent }) {
  const goal = event.result?.goal ?? event.goal ?? 0;
  const progress = event.result?.progress ?? event.progress;
  const share = goal > 0 ? Math.min(1, progress / goal) : 0;
  return (
    <div class="event-meter" data-testid="event-meter">
      {/* The numbers below say what the bar shows: screen readers read those. */}
      <div class={`event-bar event-bar-${event.kind}`} aria-hidden="true">
        <div class="event-bar-fill" style={{ width: `${share * 100}%` }} />
      </div>
      <span class="event-bar-text" data-testid="event-progress">
        {progress} / {goal} {GOAL_UNITS[event.kind]}
      </span>
    </div>
  );
}

/** Where the event stands, in a few words and a countdown. */
export function EventPhase({ event, now }: { event: ChannelEvent; now: number }) {
  if (event.status === 'signup') {
    return (
      <span data-testid="event-phase">
        Sign-up closes in {clock(event.signupEndsAt - now)} · {event.participants} signed up
      </span>
    );
  }
  if (event.status === 'running') {
    const left = event.endsAt === null ? '' : ` · ${clock(event.endsAt - now)} left`;
    return (
      <span data-testid="event-phase">
        {event.goalReached ? 'Goal reached! Winding down' : 'Under way'}
        {left} · {event.participants} in
      </span>
    );
  }
  return (
    <span data-testid="event-phase">{event.result ? OUTCOME_WORDS[event.result.outcome] : 'Ended'}</span>
  );
}

/** The latest lines worth showing on stream, newest first. */
export function EventHighlights({ event, max }: { event: ChannelEvent; max: number }) {
  if (event.highlights.length === 0) return null;
  return (
    <ul class="event-highlights" aria-label="Highlights" data-testid="event-highlights">
      {event.highlights.slice(0, max).map((h) => (
        <li key={`${h.at}-${h.name}`} class={h.mine ? 'mine' : ''}>
          {h.text}
        </li>
      ))}
    </ul>
  );
}

/** The best contributors (live, or of the result), best first. */
export function EventTop({ event, max }: { event: ChannelEvent; max: number }) {
  const top = event.result?.top ?? event.top;
  if (top.length === 0) return null;
  return (
    <ol class="event-top" aria-label="Top survivors" data-testid="event-top">
      {top.slice(0, max).map((t, i) => (
        <li key={`${i}-${t.name}`} class={t.mine ? 'mine' : ''}>
          <span>
            {t.name}
            <PlayerTag shown={t} />
          </span>{' '}
          <span class="muted">{t.contribution}</span>
        </li>
      ))}
    </ol>
  );
}
