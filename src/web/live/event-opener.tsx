import { useState } from 'preact/hooks';
import type { Catalog, ChannelEventKind } from '../api/api-types.js';
import { EVENT_KIND_NAMES } from '../events/event-words.js';

/** The sign-up windows offered, in s (the API takes 15–600). */
const SIGNUP_CHOICES = [30, 60, 120, 300, 600];
const DEFAULT_SIGNUP_SECONDS = 120;

export interface EventChoice {
  kind: ChannelEventKind;
  location: string;
  difficulty: number;
  signupSeconds: number;
}

/** The host's form: what event, where, how hard, and how long viewers have to sign up. */
export function EventOpener({
  catalog,
  disabled,
  onOpen,
}: {
  catalog: Catalog;
  disabled: boolean;
  onOpen: (choice: EventChoice) => void;
}) {
  const [choice, setChoice] = useState<EventChoice>({
    kind: 'horde_night',
    location: catalog.locations[0]?.id ?? '',
    difficulty: 1,
    signupSeconds: DEFAULT_SIGNUP_SECONDS,
  });
  const change = (patch: Partial<EventChoice>) => setChoice({ ...choice, ...patch });
  return (
    <form
      class="event-opener"
      onSubmit={(e) => {
        e.preventDefault();
        onOpen(choice);
      }}
    >
      <fieldset disabled={disabled}>
        <label class="field" for="event-kind">
          <span>Event</span>
          <select
            id="event-kind"
            value={choice.kind}
            onChange={(e) => change({ kind: e.currentTarget.value as ChannelEventKind })}
          >
            {(Object.keys(EVENT_KIND_NAMES) as ChannelEventKind[]).map((k) => (
              <option key={k} value={k}>
                {EVENT_KIND_NAMES[k]}
              </option>
            ))}
          </select>
        </label>
        <label class="field" for="event-location">
          <span>Location</span>
          <select
            id="event-location"
            value={choice.location}
            onChange={(e) => change({ location: e.currentTarget.value })}
          >
            {catalog.locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <label class="field" for="event-difficulty">
          <span>Difficulty</span>
          <select
            id="event-difficulty"
            value={choice.difficulty}
            onChange={(e) => change({ difficulty: Number(e.currentTarget.value) })}
          >
            {catalog.difficulties.map((d) => (
              <option key={d.level} value={d.level}>
                {d.level} · {d.name}
                {d.deathChance > 0 ? ' (survivors can die)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label class="field" for="event-signup">
          <span>Sign-up window</span>
          <select
            id="event-signup"
            value={choice.signupSeconds}
            onChange={(e) => change({ signupSeconds: Number(e.currentTarget.value) })}
          >
            {SIGNUP_CHOICES.map((s) => (
              <option key={s} value={s}>
                {s < 60 ? `${s} s` : `${s / 60} min`}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="primary">
          Open sign-up
        </button>
      </fieldset>
    </form>
  );
}
