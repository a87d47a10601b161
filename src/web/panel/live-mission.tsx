import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Catalog, LiveMission, LogLine, MissionResult, MissionSummary } from '../api/api-types.js';
import { describeError } from '../api/holdout-api.js';
import { ChoicePointView, RetreatButton } from './choice-point.js';
import { LogLine as LogLineView } from './log-line.js';
import { shownLogLine } from './mission-logs.js';
import type { PanelStore } from './panel-store.js';
import { playerText } from './player-tag.js';
import { Bar, clock, roughly, STATUS_WORDS, useNow } from './ui.js';

function MissionLog({
  lines,
  catalog,
  ended,
  reserve = false,
}: {
  lines: LogLine[];
  catalog: Catalog | null;
  ended: boolean;
  /** Something lies over the log's bottom (an open choice): its last lines scroll up above it. */
  reserve?: boolean;
}) {
  const box = useRef<HTMLOListElement>(null);
  // Follow the newest line unless the viewer scrolled up to read.
  const stick = useRef(true);
  useLayoutEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lines.length, reserve]);
  return (
    <ol
      class={reserve ? 'log log-reserve' : 'log'}
      ref={box}
      aria-live="polite"
      aria-label="Mission log"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the log scrolls, and keyboard users must reach it.
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
      }}
    >
      {lines.length === 0 && <li class="muted">Setting out…</li>}
      {lines.map((line, i) => (
        <LogLineView key={line.tick} line={line} catalog={catalog} last={ended && i === lines.length - 1} />
      ))}
    </ol>
  );
}

function ResultBox({ result, names }: { result: MissionResult; names: Map<string, string> }) {
  return (
    <section class={`result result-${result.status}`} data-testid="result" aria-label="Mission result">
      <p>
        <strong>{result.summary}</strong>
      </p>
      <p data-testid="result-supplies">Supplies brought home: {result.supplies}</p>
      <ul>
        {result.survivors.map((s) => (
          <li key={s.survivorId}>
            {names.get(s.survivorId) ?? 'Survivor'}: +{s.xpGained} XP
            {s.levelsGained > 0 ? `, level ${s.level}!` : ''}
            {s.dead ? ', fell' : s.recoveryMs > 0 ? `, recovers ${roughly(s.recoveryMs)}` : ', unhurt'}
          </li>
        ))}
      </ul>
    </section>
  );
}

function nextTickText(ms: number): string {
  if (ms <= 0) return 'Next tick any moment…';
  return ms < 60_000 ? `Next tick in ${Math.ceil(ms / 1000)} s` : `Next tick in ${clock(ms)}`;
}

/** A mission as it happens: progress, countdown to the next tick, the party's health, the log. */
export function LiveMissionView({ store, mission }: { store: PanelStore; mission: LiveMission }) {
  const now = useNow(250, store.clockOffset);
  const lines = store.logs[mission.id] ?? mission.lines;
  const place = store.catalog?.locations.find((l) => l.id === mission.location)?.name ?? mission.location;
  const level = store.catalog?.difficulties.find((d) => d.level === mission.difficulty)?.name;
  const mine = new Set((store.poll?.survivors ?? []).map((s) => s.id));
  const canRetreat = mission.status === 'active' && mission.party.some((m) => mine.has(m.id));
  const choosing = canRetreat && !!mission.choice;
  const result = mission.result as MissionResult | null;
  const modifierName = (id: string | null) =>
    id === null ? null : (store.catalog?.modifiers?.find((m) => m.id === id)?.name ?? id);
  const scene = [modifierName(mission.weather), modifierName(mission.time)].filter((x) => x !== null);
  return (
    <section class="live" aria-label={`Mission at ${place}`} data-testid="live-mission">
      <header class="live-head">
        <h2>
          {place} <span class="muted">· {level ?? `difficulty ${mission.difficulty}`}</span>
        </h2>
        <span class={`badge status-${mission.status}`} data-testid="mission-status">
          {STATUS_WORDS[mission.status]}
        </span>
      </header>
      {scene.length > 0 && (
        <p
          class="scene"
          data-testid="scene"
          title="Weather and time of day: they change the odds and the story"
        >
          {scene.join(' · ')}
        </p>
      )}
      <Bar
        label="Tick"
        kind="progress"
        value={mission.tick}
        max={mission.length}
        text={`${mission.tick}/${mission.length}`}
      />
      <p class="next-tick" aria-live="off" data-testid="next-tick">
        {mission.status === 'active' && mission.nextTickAt !== null
          ? nextTickText(mission.nextTickAt - now)
          : // One supplies figure: what comes home, once the result is settled (a retreat keeps a share).
            `Ended after ${mission.tick} ticks${result ? '' : ' · settling up…'}`}
      </p>
      <ul class="party" aria-label="Party">
        {mission.party.map((m) => (
          <li key={m.id} class={m.dead ? 'dead' : m.downed ? 'downed' : ''}>
            <Bar label={m.name} kind="health" value={m.health} max={m.maxHealth} />
            <span class="tags">{m.dead ? 'dead' : m.downed ? 'down' : m.status.join(' ')}</span>
            {playerText(m) && (
              <span class="party-player" data-testid="party-player">
                {playerText(m)}
              </span>
            )}
          </li>
        ))}
      </ul>
      {/* An open choice lies over the log's bottom, so the log keeps its place and size. */}
      <div class="log-area">
        <MissionLog
          lines={lines}
          catalog={store.catalog}
          ended={mission.status !== 'active'}
          reserve={choosing}
        />
        {choosing && mission.choice && (
          <ChoicePointView store={store} mission={mission} choice={mission.choice} now={now} />
        )}
      </div>
      {result ? (
        <ResultBox result={result} names={new Map(mission.party.map((m) => [m.id, m.name]))} />
      ) : (
        canRetreat && <RetreatButton store={store} mission={mission} vote={mission.retreatVote} />
      )}
    </section>
  );
}

/** A mission that is no longer in Redis: its summary and full log from Postgres. */
export function PastMissionView({ store, missionId }: { store: PanelStore; missionId: string }) {
  const [summary, setSummary] = useState<MissionSummary | null>(null);
  const [lines, setLines] = useState<LogLine[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    Promise.all([store.api.mission(missionId), store.api.missionLog(missionId)])
      .then(([s, log]) => {
        setSummary(s);
        setLines(log.lines.map(shownLogLine));
      })
      .catch((e) => setError(describeError(e)));
  }, [store.api, missionId]);
  if (error) return <p class="notice notice-warn">{error}</p>;
  if (!summary) return <p class="muted">Loading the mission…</p>;
  const place = store.catalog?.locations.find((l) => l.id === summary.location)?.name ?? summary.location;
  const result = summary.result as MissionResult | null;
  return (
    <section class="live" aria-label={`Mission at ${place}`}>
      <header class="live-head">
        <h2>{place}</h2>
        <span class={`badge status-${summary.status}`}>{STATUS_WORDS[summary.status]}</span>
      </header>
      <MissionLog lines={lines} catalog={store.catalog} ended={summary.status !== 'active'} />
      {result && (
        <ResultBox result={result} names={new Map(summary.participants.map((p) => [p.survivorId, p.name]))} />
      )}
    </section>
  );
}
