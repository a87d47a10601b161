import { useEffect, useState } from 'preact/hooks';
import type { Lobby } from '../api/api-types.js';
import { describeError } from '../api/holdout-api.js';
import { CarryPicker } from './carry-picker.js';
import { type Choice, dangerText, defaultChoice, MissionChoice } from './mission-choice.js';
import type { PanelStore } from './panel-store.js';
import { PlayerTag } from './player-tag.js';
import { GuestInvite } from './roster-view.js';
import { clock, useNow } from './ui.js';

/** How often the list of open lobbies refreshes while the viewer looks at it, in ms. */
const LIST_REFRESH_MS = 4_000;
const MIN_GROUP = 2;

/** Another member's item, which this viewer's stash may not hold: its id spelt out ("bandage roll"). */
function itemName(id: string): string {
  return id.replaceAll('-', ' ');
}

function LobbyRoom({ store, lobby }: { store: PanelStore; lobby: Lobby }) {
  const now = useNow(1000, store.clockOffset);
  const mine = lobby.members.find((m) => m.mine);
  const allReady = lobby.members.length >= MIN_GROUP && lobby.members.every((m) => m.ready);
  const place = store.catalog?.locations.find((l) => l.id === lobby.location)?.name ?? lobby.location;
  const danger = store.catalog?.difficulties.find((d) => d.level === lobby.difficulty);
  const level = danger?.name;
  return (
    <section class="lobby-room" aria-label="Your lobby" data-testid="lobby-room">
      <h2>
        {place} <span class="muted">· {level ?? lobby.difficulty}</span>
      </h2>
      {danger && <p class="danger-line">{dangerText(danger)}</p>}
      <p class="muted">
        {lobby.members.length}/4 survivors · closes in {clock(lobby.expiresAt - now)} unless someone acts
      </p>
      <ul class="members">
        {lobby.members.map((m) => (
          <li key={m.survivorId} data-testid="lobby-member">
            <span class={`ready-mark ${m.ready ? 'is-ready' : ''}`} aria-hidden="true">
              {m.ready ? '✔' : '…'}
            </span>
            <span class="member-name">
              {m.name} <span class="muted">Lv {m.level}</span>
              <PlayerTag shown={m} />
              {m.leader ? <span class="muted"> · leader</span> : null}
              {m.mine ? <span class="muted"> · you</span> : null}
              {!m.mine && (m.carry ?? []).length > 0 ? (
                <span class="muted" data-testid="member-carry">
                  {' '}
                  · carries {(m.carry ?? []).map(itemName).join(', ')}
                </span>
              ) : null}
            </span>
            <span class="member-status">{m.ready ? 'ready' : 'not ready'}</span>
          </li>
        ))}
      </ul>
      {mine && store.loggedIn && lobby.status === 'open' && (
        <CarryPicker
          stash={store.stash}
          carry={mine.carry ?? []}
          onChange={(carry) => void store.act(() => store.api.setLobbyCarry(lobby.id, carry))}
        />
      )}
      <div class="row">
        <button
          type="button"
          class={mine?.ready ? '' : 'primary'}
          aria-pressed={mine?.ready ?? false}
          disabled={!mine || store.busy}
          onClick={() => void store.act(() => store.api.setReady(lobby.id, !mine?.ready))}
        >
          {mine?.ready ? 'Ready ✔ (undo)' : "I'm ready"}
        </button>
        <button
          type="button"
          class="primary"
          disabled={!allReady || store.busy}
          title={allReady ? 'Start the group mission' : 'Needs 2–4 survivors, all ready'}
          onClick={() => void store.act(() => store.api.startLobby(lobby.id))}
        >
          Start
        </button>
        <button
          type="button"
          disabled={store.busy}
          onClick={() => void store.act(() => store.api.leaveLobby(lobby.id))}
        >
          Leave
        </button>
      </div>
      {!allReady && <p class="muted">Starts when 2–4 survivors are in and everyone is ready.</p>}
    </section>
  );
}

function OpenLobbies({ store, survivorId }: { store: PanelStore; survivorId: string | undefined }) {
  const [lobbies, setLobbies] = useState<Lobby[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      store.api
        .lobbies()
        .then((list) => {
          if (!live) return;
          setLobbies(list.lobbies);
          setProblem(null);
        })
        .catch((e) => live && setProblem(describeError(e)));
    void load();
    const timer = setInterval(load, LIST_REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [store.api]);
  const place = (id: string) => store.catalog?.locations.find((l) => l.id === id)?.name ?? id;
  return (
    <section aria-label="Open lobbies">
      <h2>Open lobbies</h2>
      {problem && <p class="notice notice-warn">{problem}</p>}
      {lobbies === null && !problem && <p class="muted">Looking for lobbies…</p>}
      {lobbies?.length === 0 && <p class="muted">No open lobby on this channel yet: open one below.</p>}
      <ul class="lobby-list">
        {lobbies?.map((l) => (
          <li key={l.id} data-testid="open-lobby">
            <span>
              {place(l.location)} ·{' '}
              {store.catalog?.difficulties.find((d) => d.level === l.difficulty)?.name ?? 'difficulty'} (
              {l.difficulty})
              <span class="muted">
                {' '}
                · {l.members.map((m) => (m.player ? `${m.name} (${m.player})` : m.name)).join(', ')} (
                {l.members.length}/4)
              </span>
            </span>
            <button
              type="button"
              class="small"
              disabled={!survivorId || !store.loggedIn || store.busy || l.members.length >= 4}
              onClick={() => void store.act(() => store.api.joinLobby(l.id, survivorId!))}
            >
              Join
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Group missions: the viewer's lobby, or the channel's open lobbies and a form to open one. */
export function LobbyView({ store }: { store: PanelStore }) {
  const [picked, setPicked] = useState<string | null>(null);
  const [choice, setChoice] = useState<Choice | null>(null);
  const { catalog, poll } = store;
  if (poll?.lobby) return <LobbyRoom store={store} lobby={poll.lobby} />;
  if (catalog && !catalog.settings.groupMissionsEnabled) {
    return <p class="notice">The broadcaster has turned group missions off on this channel.</p>;
  }
  const idle = (poll?.survivors ?? []).filter((s) => s.state === 'idle');
  const survivor = idle.find((s) => s.id === picked) ?? idle[0];
  return (
    <div class="lobbies">
      {!store.loggedIn && store.auth && <GuestInvite store={store} />}
      {store.loggedIn && (
        <label class="field" for="group-survivor">
          <span>Send</span>
          <select
            id="group-survivor"
            value={survivor?.id ?? ''}
            disabled={idle.length === 0}
            onChange={(e) => setPicked(e.currentTarget.value)}
          >
            {idle.length === 0 && <option value="">nobody idle</option>}
            {idle.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} (Lv {s.level})
              </option>
            ))}
          </select>
        </label>
      )}
      <OpenLobbies store={store} survivorId={survivor?.id} />
      {catalog && (
        <form
          class="open-lobby"
          onSubmit={(e) => {
            e.preventDefault();
            const c = choice ?? defaultChoice(catalog);
            if (survivor) void store.act(() => store.api.createLobby(survivor.id, c.location, c.difficulty));
          }}
        >
          <h2>Open a lobby</h2>
          <MissionChoice
            catalog={catalog}
            choice={choice ?? defaultChoice(catalog)}
            onChange={setChoice}
            idPrefix="group"
          />
          <button type="submit" class="primary" disabled={!survivor || !store.loggedIn || store.busy}>
            Open lobby
          </button>
        </form>
      )}
    </div>
  );
}
