import { useEffect, useState } from 'preact/hooks';
import type { FullLogLine, MissionResult, MissionSummary } from '../api/api-types.js';
import { describeError } from '../api/holdout-api.js';
import { LogLine } from './log-line.js';
import type { PanelStore } from './panel-store.js';
import { playerText } from './player-tag.js';
import { ago, STATUS_WORDS, useNow } from './ui.js';

const MARK: Record<MissionSummary['status'], string> = {
  active: '▶',
  succeeded: '✔',
  failed: '✖',
  retreated: '↩',
};

function HistoryEntry({
  store,
  mission,
  now,
  survivorId,
}: {
  store: PanelStore;
  mission: MissionSummary;
  now: number;
  survivorId: string;
}) {
  const [log, setLog] = useState<FullLogLine[] | null>(null);
  const result = mission.result as MissionResult | null;
  const place = store.catalog?.locations.find((l) => l.id === mission.location)?.name ?? mission.location;
  // This survivor's own XP, not the whole party's.
  const xp = result?.survivors.find((s) => s.survivorId === survivorId)?.xpGained;
  return (
    <li class={`history-entry status-${mission.status}`} data-testid="history-entry">
      <details
        onToggle={(e) => {
          if (e.currentTarget.open && log === null) {
            store.api
              .missionLog(mission.id)
              .then((l) => setLog(l.lines))
              .catch((error) =>
                setLog([{ tick: 0, encounterId: '', text: describeError(error), scheduledAt: 0 }]),
              );
          }
        }}
      >
        <summary>
          <span class="mark" aria-hidden="true">
            {MARK[mission.status]}
          </span>{' '}
          {place} ·{' '}
          {store.catalog?.difficulties.find((d) => d.level === mission.difficulty)?.name ??
            mission.difficulty}
          {mission.kind === 'group' ? ' · group' : ''}
          <span class="muted">
            {' '}
            · {STATUS_WORDS[mission.status]}
            {xp !== undefined ? ` · +${xp} XP` : ''} · {ago(mission.endedAt ?? mission.startedAt, now)}
          </span>
        </summary>
        {result && <p>{result.summary}</p>}
        <p class="muted">
          With{' '}
          {mission.participants
            .map((p) => (playerText(p) ? `${p.name} (${playerText(p)})` : p.name))
            .join(', ')}
        </p>
        <ol class="log log-short">
          {log === null && <li class="muted">Loading the log…</li>}
          {log?.map((line, i) => (
            <LogLine key={line.tick} line={line} catalog={store.catalog} last={i === log.length - 1} />
          ))}
        </ol>
      </details>
    </li>
  );
}

/** A survivor's past missions, newest first (from Postgres). */
export function HistoryView({ store }: { store: PanelStore }) {
  const survivors = store.poll?.survivors ?? [];
  const [picked, setPicked] = useState<string | null>(null);
  const [missions, setMissions] = useState<MissionSummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const now = useNow(30_000, store.clockOffset);
  const survivor = survivors.find((s) => s.id === picked) ?? survivors[0];
  // Reload when a mission of theirs ends: the survivor's state changes then.
  const stamp = survivor ? `${survivor.id}:${survivor.state}:${survivor.xp}` : '';
  useEffect(() => {
    if (!survivor) return;
    let live = true;
    store.api
      .history(survivor.id)
      .then((h) => {
        if (!live) return;
        setMissions(h.missions);
        setProblem(null);
      })
      .catch((e) => live && setProblem(describeError(e)));
    return () => {
      live = false;
    };
  }, [store.api, stamp]);

  if (!store.loggedIn) return <p class="notice">Log in to keep a history of your survivors' missions.</p>;
  if (survivors.length === 0)
    return <p class="muted">No survivor yet: their missions will be listed here.</p>;
  return (
    <div class="history">
      <label class="field" for="history-survivor">
        <span>Survivor</span>
        <select id="history-survivor" value={survivor?.id} onChange={(e) => setPicked(e.currentTarget.value)}>
          {survivors.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
              {s.state === 'dead' ? (s.retired ? ' (retired)' : ' (fallen)') : ''}
            </option>
          ))}
        </select>
      </label>
      {problem && <p class="notice notice-warn">{problem}</p>}
      {missions?.length === 0 && <p class="muted">{survivor?.name} has not been out yet.</p>}
      <ul class="history-list">
        {missions?.map((m) => (
          <HistoryEntry key={m.id} store={store} mission={m} now={now} survivorId={survivor?.id ?? ''} />
        ))}
      </ul>
    </div>
  );
}
