import { useCallback } from 'preact/hooks';
import type { Season } from '../api/api-types.js';
import type { HoldoutApi } from '../api/holdout-api.js';
import { SeasonMeter, seasonName, useSeason } from '../events/season-meter.js';
import { PlayerTag } from '../panel/player-tag.js';

const BOARDS: { id: keyof Season['boards']; label: string }[] = [
  { id: 'survived', label: 'Missions survived' },
  { id: 'deepest', label: 'Deepest difficulty held' },
  { id: 'loot', label: 'Loot brought home' },
];

/** The channel goal meter and the season's boards, on the broadcaster's live dashboard. */
export function SeasonView({ api, ready }: { api: HoldoutApi; ready: boolean }) {
  const readSeason = useCallback(() => api.season(), [api]);
  const season = useSeason(readSeason, ready);
  if (!season) return null;
  return (
    <section class="dashboard-section" aria-labelledby="season-title" data-testid="season">
      <h2 id="season-title">{seasonName(season)}</h2>
      <SeasonMeter season={season} />
      {BOARDS.map((b) =>
        season.boards[b.id].length === 0 ? null : (
          <div key={b.id}>
            <strong>{b.label}</strong>
            <ol class="event-top">
              {season.boards[b.id].map((e) => (
                <li key={e.rank}>
                  {e.names}
                  <PlayerTag shown={e} /> <span class="muted">{e.value}</span>
                </li>
              ))}
            </ol>
          </div>
        ),
      )}
    </section>
  );
}
