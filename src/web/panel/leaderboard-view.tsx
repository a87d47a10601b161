import { useEffect, useState } from 'preact/hooks';
import type { LeaderboardEntry } from '../api/api-types.js';
import { describeError } from '../api/holdout-api.js';
import { SeasonMeter, seasonName, useSeason } from '../events/season-meter.js';
import type { PanelStore } from './panel-store.js';
import { PlayerTag } from './player-tag.js';

/** The Ranks tab: the channel's current season and goal meter, then its leaderboard. */
export function LeaderboardView({ store }: { store: PanelStore }) {
  const season = useSeason(store.api.season, store.auth !== null, store.broadcasts);
  return (
    <>
      {season && (
        <section class="season-strip" aria-label="Season" data-testid="panel-season">
          <strong>{seasonName(season)}</strong>
          <SeasonMeter season={season} />
        </section>
      )}
      <ChannelBoard store={store} />
    </>
  );
}

/** The channel's survivors ranked by XP earned on its missions. */
function ChannelBoard({ store }: { store: PanelStore }) {
  const [entries, setEntries] = useState<LeaderboardEntry[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    store.api
      .leaderboard()
      .then((l) => setEntries(l.entries))
      .catch((e) => setProblem(describeError(e)));
  }, [store.api]);
  const mine = new Set((store.poll?.survivors ?? []).map((s) => s.id));
  if (problem) return <p class="notice notice-warn">{problem}</p>;
  if (entries === null) return <p class="muted">Loading the leaderboard…</p>;
  if (entries.length === 0)
    return <p class="muted">Nobody has come back from a mission on this channel yet.</p>;
  return (
    <table class="board" data-testid="leaderboard">
      <caption class="visually-hidden">Channel leaderboard</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Survivor</th>
          <th scope="col" title="missions held out / missions">
            Won
          </th>
          <th scope="col">XP</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.survivorId} class={mine.has(e.survivorId) ? 'mine' : ''}>
            <td>{e.rank}</td>
            <td>
              {e.name} <span class="muted">Lv {e.level}</span>
              {e.dead ? <span class="muted"> †</span> : null}
              <PlayerTag shown={e} />
            </td>
            <td>
              {e.succeeded}/{e.missions}
            </td>
            <td>{e.xp}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
