import { useEffect, useState } from 'preact/hooks';
import type { Season } from '../api/api-types.js';
import type { HoldoutApi } from '../api/holdout-api.js';
import { PlayerTag } from '../panel/player-tag.js';

/** How often the dashboard reads the season, in ms (it is a few durable aggregates). */
const SEASON_POLL_MS = 60_000;

const BOARDS: { id: keyof Season['boards']; label: string }[] = [
  { id: 'survived', label: 'Missions survived' },
  { id: 'deepest', label: 'Deepest difficulty held' },
  { id: 'loot', label: 'Loot brought home' },
];

/** The channel goal meter and the season's boards, on the broadcaster's live dashboard. */
export function SeasonView({ api, ready }: { api: HoldoutApi; ready: boolean }) {
  const [season, setSeason] = useState<Season | null>(null);
  useEffect(() => {
    if (!ready) return;
    let live = true;
    const read = () =>
      api
        .season()
        .then((s) => live && setSeason(s))
        .catch(() => undefined);
    void read();
    const timer = setInterval(read, SEASON_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, ready]);
  if (!season) return null;
  const { held, target } = season.goal;
  const share = Math.min(1, held / target);
  const until = new Date(season.endsAt).toUTCString().slice(0, 16);
  return (
    <section class="dashboard-section" aria-labelledby="season-title" data-testid="season">
      <h2 id="season-title">This {season.period === 'weekly' ? 'week' : 'month'}'s season</h2>
      <div class="event-meter">
        <div class="event-bar" aria-hidden="true">
          <div class="event-bar-fill" style={{ width: `${share * 100}%` }} />
        </div>
        <span class="event-bar-text" data-testid="season-goal">
          The channel held out {held} / {target} missions · until {until}
        </span>
      </div>
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
