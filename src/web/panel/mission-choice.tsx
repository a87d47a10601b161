import type { Catalog } from '../api/api-types.js';
import { missionTicks } from '../api/api-types.js';
import { roughly } from './ui.js';

export interface Choice {
  location: string;
  difficulty: number;
}

export function defaultChoice(catalog: Catalog): Choice {
  return { location: catalog.locations[0]?.id ?? '', difficulty: 1 };
}

/** Danger in words from the catalog's numbers: how hard it hits and whether it kills. */
export function dangerText(d: Catalog['difficulties'][number]): string {
  const harm = `damage ×${d.danger.toFixed(2).replace(/0$/, '')}`;
  return d.deathChance > 0 ? `${harm} · death ${Math.round(d.deathChance * 100)}%` : `${harm} · no deaths`;
}

const dangerTone = (d: Catalog['difficulties'][number]) =>
  d.deathChance >= 0.3 ? 'deadly' : d.deathChance > 0 ? 'lethal' : d.danger > 1.15 ? 'risky' : 'safe';

const percent = (x: number) => `${Math.round(x * 100)} %`;

/** "Solo odds: 74 % hold out · 6 % die", from the simulator's missions (src/game/picker-odds.ts). */
export function oddsText(odds: { success: number; death: number }): string {
  return `Solo odds: ${percent(odds.success)} hold out · ${percent(odds.death)} die`;
}

/** Where and how hard: a location with its traits, a difficulty 1–5 with its danger and odds. */
export function MissionChoice({
  catalog,
  choice,
  onChange,
  idPrefix,
}: {
  catalog: Catalog;
  choice: Choice;
  onChange: (choice: Choice) => void;
  idPrefix: string;
}) {
  const location = catalog.locations.find((l) => l.id === choice.location);
  const level = catalog.difficulties.find((d) => d.level === choice.difficulty);
  const ticks = level ? missionTicks(level.lengthTicks, catalog.settings.missionLength) : 0;
  const oddsAt = (d: number) => location?.odds?.find((o) => o.difficulty === d);
  const odds = oddsAt(choice.difficulty);
  return (
    <div class="choice">
      <label class="field" for={`${idPrefix}-location`}>
        <span>Location</span>
        <select
          id={`${idPrefix}-location`}
          value={choice.location}
          onChange={(e) => onChange({ ...choice, location: e.currentTarget.value })}
        >
          {catalog.locations.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      </label>
      <p class="choice-about" title={location?.description}>
        {location ? `${location.traits.join(' · ')} — ${location.description}` : ''}
      </p>
      <fieldset class="difficulty">
        <legend>Difficulty</legend>
        <div class="segmented">
          {catalog.difficulties.map((d) => (
            <button
              type="button"
              key={d.level}
              class={`seg danger-${dangerTone(d)}`}
              aria-pressed={d.level === choice.difficulty}
              disabled={!d.allowed}
              title={
                d.allowed
                  ? [`${d.name}: ${dangerText(d)}`, oddsAt(d.level) && oddsText(oddsAt(d.level)!)]
                      .filter(Boolean)
                      .join('. ')
                  : `${d.name}: not allowed on this channel`
              }
              onClick={() => onChange({ ...choice, difficulty: d.level })}
            >
              {d.level}
            </button>
          ))}
        </div>
      </fieldset>
      {level && (
        <p class={`danger-line danger-${dangerTone(level)}`} data-testid="danger">
          <strong>{level.name}</strong> · {dangerText(level)} ·{' '}
          <span class="nowrap">
            {ticks} ticks ({roughly(ticks * catalog.tickIntervalMs)})
          </span>
        </p>
      )}
      {odds && (
        <p
          class="odds-line"
          data-testid="odds"
          title="Simulated missions of a fresh solo survivor here at this difficulty"
        >
          {oddsText(odds)}
        </p>
      )}
    </div>
  );
}
