import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Catalog, LogLine, Poll } from '../api/api-types.js';
import { describeError, HoldoutApi } from '../api/holdout-api.js';
import { PollScheduler } from '../api/poll-scheduler.js';
import { EventNoticeReads } from '../events/event-notice-reads.js';
import { isLoggedIn, type TwitchAuth, type TwitchExt } from '../twitch/twitch-ext.js';
import { noticeSaysSettings, noticeSpread } from './broadcast-notice.js';
import { CatalogRefresh } from './catalog-refresh.js';
import { LogRefills } from './log-refill-pace.js';
import { hasGap, mergeLogLines, shownLogLine } from './mission-logs.js';
import { type StashState, useStash } from './use-stash.js';

export interface PanelStore extends StashState {
  auth: TwitchAuth | null;
  loggedIn: boolean;
  api: HoldoutApi;
  catalog: Catalog | null;
  poll: Poll | null;
  /** Each mission's lines so far, merged across polls. */
  logs: Record<string, LogLine[]>;
  /** The server's clock minus ours, in ms: countdowns use the server's times. */
  clockOffset: number;
  /** The latest failure of a viewer's action, in words; null when there is none. */
  error: string | null;
  /** The poll is failing: why, and when it tries again (our clock). */
  pollTrouble: { message: string; retryAt: number } | null;
  busy: boolean;
  dismissError(): void;
  /** Runs a viewer's action: shows its failure, refreshes the state after it. */
  act<T>(action: () => Promise<T>): Promise<T | undefined>;
  requestIdShare(): void;
  /** Reads the catalog (the channel's rules) again, unless it was read a moment ago. */
  refreshCatalog(): void;
  /** Counts the broadcasts saying the channel's event changed: the event view reads it again on each. */
  eventNotices: number;
  /** Extension PubSub broadcasts tell this panel of changes: its timed reads slow down. */
  broadcasts: boolean;
}

export function usePanelStore(ext: TwitchExt): PanelStore {
  const [auth, setAuth] = useState<TwitchAuth | null>(null);
  const token = useRef<string | null>(null);
  const api = useMemo(() => new HoldoutApi(() => token.current), []);
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [poll, setPoll] = useState<Poll | null>(null);
  const [logs, setLogs] = useState<Record<string, LogLine[]>>({});
  const [clockOffset, setClockOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [pollTrouble, setPollTrouble] = useState<PanelStore['pollTrouble']>(null);
  const [busy, setBusy] = useState(false);
  const [eventNotices, setEventNotices] = useState(0);
  const [broadcasts, setBroadcasts] = useState(false);
  const eventNoticeReads = useMemo(() => new EventNoticeReads(() => setEventNotices((n) => n + 1)), []);
  // The broadcaster may change the channel's rules while panels are open (catalog-refresh.ts).
  const catalogRefresh = useMemo(
    () =>
      new CatalogRefresh(() => {
        if (!token.current) return;
        api
          .catalog()
          .then(setCatalog)
          .catch(() => undefined);
      }),
    [api],
  );
  useEffect(() => {
    catalogRefresh.start();
    return () => catalogRefresh.stop();
  }, [catalogRefresh]);
  const refreshCatalog = useCallback(() => {
    if (token.current) catalogRefresh.readIfStale();
  }, [catalogRefresh]);
  const session = useRef({ cursor: '', etag: null as string | null, identity: '' });
  // What this panel shows, so that a broadcast naming other missions or lobbies leaves it quiet.
  const mine = useRef({ missions: new Set<string>(), lobby: null as string | null });
  const logsRef = useRef(logs);
  logsRef.current = logs;

  // Lines the poll no longer has (a panel opened mid-mission, or one that missed more ticks than the
  // record keeps) come from the full log. The flusher writes it a moment after the tick, or later
  // when it is held back: while the hole is there and the mission shown, it is read again, at the
  // pace of log-refill-pace.ts.
  const missionTicks = useRef(new Map<string, number>());
  const refills = useMemo(
    () =>
      new LogRefills(
        async (missionId) => {
          const { lines } = await api.missionLog(missionId);
          const merged = mergeLogLines(logsRef.current[missionId] ?? [], lines.map(shownLogLine));
          // logsRef too, at once: a poll applied before the next render must merge into these lines.
          logsRef.current = { ...logsRef.current, [missionId]: merged };
          setLogs(logsRef.current);
          // Through the mission's tick as the poll said: the poll of an ended mission may not change again.
          const through = Math.max(
            merged[merged.length - 1]?.tick ?? 0,
            missionTicks.current.get(missionId) ?? 0,
          );
          return hasGap(merged, through) ? 'hole' : 'filled';
        },
        (e) => setError(describeError(e)),
      ),
    [api],
  );

  const scheduler = useMemo(
    () =>
      new PollScheduler({
        poll: async () => {
          const { cursor, etag } = session.current;
          const outcome = await api.poll(cursor, etag);
          if (outcome.kind === 'unchanged') return outcome;
          const next = outcome.poll;
          session.current.cursor = next.cursor;
          session.current.etag = outcome.etag;
          setPoll(next);
          mine.current = { missions: new Set(next.missions.map((m) => m.id)), lobby: next.lobby?.id ?? null };
          refills.keepOnly(mine.current.missions);
          missionTicks.current = new Map(next.missions.map((m) => [m.id, m.tick]));
          setClockOffset(next.serverTime - Date.now());
          const merged = { ...logsRef.current };
          for (const mission of next.missions) {
            merged[mission.id] = mergeLogLines(merged[mission.id] ?? [], mission.lines);
            if (mission.missedLines || hasGap(merged[mission.id]!, mission.tick)) refills.fill(mission.id);
          }
          logsRef.current = merged;
          setLogs(merged);
          return {
            kind: 'changed',
            nextPollAt: next.nextPollAt,
            serverTime: next.serverTime,
            ticking: next.missions.some((m) => m.status === 'active'),
          };
        },
        onStatus: (failure) =>
          setPollTrouble(
            failure
              ? { message: describeError(failure.error), retryAt: Date.now() + failure.retryInMs }
              : null,
          ),
      }),
    [api, refills],
  );

  useEffect(() => {
    ext.onAuthorized((next) => {
      token.current = next.token;
      const identity = `${next.channelId}:${next.userId}`;
      // A new token for the same viewer is only fresher credentials; a new viewer starts over.
      if (identity !== session.current.identity) {
        session.current = { cursor: '', etag: null, identity };
        setPoll(null);
        setLogs({});
        refills.keepOnly(new Set());
        catalogRefresh.noteRead();
        api
          .catalog()
          .then((loaded) => {
            setCatalog(loaded);
            const push = loaded.broadcasts && typeof ext.listen === 'function';
            scheduler.setPush(push);
            catalogRefresh.setPush(push);
            setBroadcasts(push);
          })
          .catch((e) => setError(describeError(e)));
      }
      setAuth(next);
      scheduler.start();
    });
    ext.listen?.('broadcast', (_target, _contentType, message) => {
      const spread = noticeSpread(message, mine.current);
      if (spread !== null) scheduler.told(spread);
      if (noticeSaysSettings(message)) catalogRefresh.told();
      eventNoticeReads.heard(message);
    });
    ext.onVisibilityChanged((visible) => {
      if (!token.current) return;
      if (visible) scheduler.start();
      else scheduler.stop();
    });
    return () => {
      scheduler.stop();
      eventNoticeReads.stop();
      refills.keepOnly(new Set());
    };
  }, [ext, api, scheduler, catalogRefresh, eventNoticeReads, refills]);

  const act = useCallback(
    async <T>(action: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      try {
        const result = await action();
        setError(null);
        return result;
      } catch (e) {
        setError(describeError(e));
        return undefined;
      } finally {
        setBusy(false);
        scheduler.pollNow();
      }
    },
    [scheduler],
  );

  const { stash, buy } = useStash(api, poll, act, isLoggedIn(auth));

  return {
    auth,
    loggedIn: isLoggedIn(auth),
    stash,
    buy,
    api,
    catalog,
    refreshCatalog,
    poll,
    logs,
    clockOffset,
    error,
    pollTrouble,
    busy,
    eventNotices,
    broadcasts,
    dismissError: () => setError(null),
    act,
    requestIdShare: () => ext.actions.requestIdShare(),
  };
}
