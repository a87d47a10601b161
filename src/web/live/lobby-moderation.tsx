import { useEffect, useState } from 'preact/hooks';
import type { Lobby } from '../api/api-types.js';
import { describeError, type HoldoutApi } from '../api/holdout-api.js';

/** How often the dashboard reads the channel's lobbies, in ms. */
const LOBBIES_POLL_MS = 5_000;

/** The channel's open lobbies; the broadcaster may take a member out (it goes back to idle). */
export function LobbyModeration({
  api,
  ready,
  canRemove,
  onError,
}: {
  api: HoldoutApi;
  ready: boolean;
  canRemove: boolean;
  onError: (message: string) => void;
}) {
  const [lobbies, setLobbies] = useState<Lobby[] | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!ready) return;
    let live = true;
    api
      .lobbies()
      .then((list) => live && setLobbies(list.lobbies))
      .catch((e) => live && onError(describeError(e)));
    const timer = setTimeout(() => setTick((t) => t + 1), LOBBIES_POLL_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, ready, tick, onError]);

  const remove = (lobbyId: string, survivorId: string) =>
    api
      .removeLobbyMember(lobbyId, survivorId)
      .then(() => setTick((t) => t + 1))
      .catch((e) => onError(describeError(e)));

  return (
    <section class="dashboard-section" aria-labelledby="lobbies-title">
      <h2 id="lobbies-title">Lobbies</h2>
      {lobbies === null ? (
        <p class="muted">Loading…</p>
      ) : lobbies.length === 0 ? (
        <p class="muted" data-testid="no-lobbies">
          No open lobbies.
        </p>
      ) : (
        <ul class="dashboard-list" data-testid="lobbies">
          {lobbies.map((l) => (
            <li key={l.id}>
              <span class="muted">
                {l.location} · difficulty {l.difficulty} · {l.members.length}/4
              </span>
              <ul>
                {l.members.map((m) => (
                  <li key={m.survivorId} class="dashboard-row">
                    <span>
                      {m.name} <span class="muted">Lv {m.level}</span>
                      {m.ready ? ' ✓' : ''}
                    </span>
                    {canRemove && (
                      <button
                        type="button"
                        class="small"
                        aria-label={`Remove ${m.name} from the lobby`}
                        onClick={() => remove(l.id, m.survivorId)}
                      >
                        Remove
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
