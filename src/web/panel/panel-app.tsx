import { useEffect, useRef, useState } from 'preact/hooks';
import type { TwitchExt } from '../twitch/twitch-ext.js';
import { useBitsShop } from './bits-shop-state.js';
import { EventBanner } from './event-banner.js';
import { HistoryView } from './history-view.js';
import { LeaderboardView } from './leaderboard-view.js';
import { LiveMissionView, PastMissionView } from './live-mission.js';
import { LobbyView } from './lobby-view.js';
import { MissionPicker } from './mission-picker.js';
import { type PanelStore, usePanelStore } from './panel-store.js';
import { RosterView } from './roster-view.js';
import { useNow } from './ui.js';

const TABS = [
  { id: 'roster', label: 'Survivors' },
  { id: 'mission', label: 'Mission' },
  { id: 'lobby', label: 'Group' },
  { id: 'history', label: 'History' },
  { id: 'board', label: 'Ranks' },
] as const;
type Tab = (typeof TABS)[number]['id'];

function TabBar({
  tab,
  onTab,
  badges,
}: {
  tab: Tab;
  onTab: (tab: Tab) => void;
  badges: Partial<Record<Tab, boolean>>;
}) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  // Arrow keys move between tabs, as in every tab list (WAI-ARIA).
  const onKey = (e: KeyboardEvent, index: number) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    e.preventDefault();
    const next = (index + step + TABS.length) % TABS.length;
    onTab(TABS[next]!.id);
    refs.current[next]?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label="Holdout">
      {TABS.map((t, i) => (
        <button
          type="button"
          key={t.id}
          id={`tab-${t.id}`}
          ref={(el) => {
            refs.current[i] = el;
          }}
          role="tab"
          aria-selected={tab === t.id}
          aria-controls="view"
          tabIndex={tab === t.id ? 0 : -1}
          onClick={() => onTab(t.id)}
          onKeyDown={(e) => onKey(e, i)}
        >
          {t.label}
          {badges[t.id] ? (
            <>
              <span class="dot" aria-hidden="true" />
              <span class="visually-hidden"> (live)</span>
            </>
          ) : null}
        </button>
      ))}
    </div>
  );
}

function Connection({ store }: { store: PanelStore }) {
  if (!store.auth) return <span class="conn">connecting…</span>;
  if (store.pollTrouble) return <span class="conn conn-bad">offline</span>;
  return <span class="conn conn-ok">live</span>;
}

/** Why the panel is not up to date, in words, and when it tries again. */
function PollTrouble({ store }: { store: PanelStore }) {
  const now = useNow(1000);
  const trouble = store.pollTrouble;
  if (!trouble) return null;
  const wait = Math.max(0, Math.ceil((trouble.retryAt - now) / 1000));
  return (
    <div class="toast toast-trouble" role="status" data-testid="poll-trouble">
      <span>
        {trouble.message} · {wait > 0 ? `retrying in ${wait} s` : 'retrying…'}
      </span>
    </div>
  );
}

function MissionTab({
  store,
  selected,
  sendId,
  onSelect,
  onGroup,
}: {
  store: PanelStore;
  selected: string | null;
  sendId: string | null;
  onSelect: (missionId: string | null) => void;
  onGroup: () => void;
}) {
  const missions = store.poll?.missions ?? [];
  const live = missions.find((m) => m.id === selected);
  // A mission just started is not in the poll yet; one that ended long ago is not in it any more.
  const ended = store.poll?.survivors.some((s) => s.missionId === selected && s.state !== 'on_mission');
  const names = (id: string) =>
    missions
      .find((m) => m.id === id)
      ?.party.filter((p) => store.poll?.survivors.some((s) => s.id === p.id))
      .map((p) => p.name)
      .join(', ');
  return (
    <>
      {missions.length > 0 && (
        <nav class="chips" aria-label="Your missions">
          {missions.map((m) => (
            <button type="button" key={m.id} aria-pressed={m.id === selected} onClick={() => onSelect(m.id)}>
              {names(m.id)} {m.status === 'active' ? `${m.tick}/${m.length}` : '✓'}
            </button>
          ))}
          <button type="button" aria-pressed={selected === null} onClick={() => onSelect(null)}>
            + New
          </button>
        </nav>
      )}
      {live ? (
        <LiveMissionView store={store} mission={live} />
      ) : selected && ended ? (
        <PastMissionView store={store} missionId={selected} />
      ) : selected ? (
        <p class="muted">Setting out…</p>
      ) : (
        <MissionPicker store={store} survivorId={sendId} onStarted={onSelect} onGroup={onGroup} />
      )}
    </>
  );
}

/** The panel under the stream: 318 × 496, no page scroll; each view scrolls inside itself. */
export function PanelApp({ ext }: { ext: TwitchExt }) {
  const store = usePanelStore(ext);
  const shop = useBitsShop(ext, store);
  const [tab, setTab] = useState<Tab>('roster');
  const [selected, setSelected] = useState<string | null>(null);
  const [sendId, setSendId] = useState<string | null>(null);
  const missions = store.poll?.missions ?? [];
  const active = missions.find((m) => m.status === 'active');
  const seen = useRef(new Set<string>());
  const openedAt = useRef(Date.now());

  // A mission that starts (solo, or a lobby someone else started) opens on the Mission tab, even one
  // so short that it ended between two polls.
  useEffect(() => {
    for (const m of missions) {
      if (seen.current.has(m.id)) continue;
      seen.current.add(m.id);
      if (m.status === 'active' || m.startedAt - store.clockOffset > openedAt.current) {
        setSelected(m.id);
        setTab('mission');
      }
    }
  }, [missions, store.clockOffset]);

  const open = (missionId: string | null) => {
    setSelected(missionId);
    setTab('mission');
  };
  return (
    <div class="panel">
      <header class="top">
        <h1>Holdout</h1>
        <Connection store={store} />
      </header>
      <TabBar
        tab={tab}
        onTab={(next: Tab) => {
          if (next === 'mission' || next === 'lobby') store.refreshCatalog();
          setTab(next);
        }}
        badges={{ mission: active !== undefined, lobby: Boolean(store.poll?.lobby) }}
      />
      <EventBanner store={store} />
      <div id="view" class="view" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === 'roster' && (
          <RosterView
            store={store}
            shop={shop}
            onWatch={open}
            onSend={(id) => {
              setSendId(id);
              open(null);
            }}
          />
        )}
        {tab === 'mission' && (
          <MissionTab
            store={store}
            selected={selected}
            sendId={sendId}
            onSelect={setSelected}
            onGroup={() => setTab('lobby')}
          />
        )}
        {tab === 'lobby' && <LobbyView store={store} />}
        {tab === 'history' && <HistoryView store={store} />}
        {tab === 'board' && <LeaderboardView store={store} />}
      </div>
      <div class="toasts">
        <PollTrouble store={store} />
        {store.error && (
          <div class="toast" role="alert" data-testid="error">
            <span>{store.error}</span>
            <button type="button" class="small" aria-label="Dismiss" onClick={store.dismissError}>
              ×
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
