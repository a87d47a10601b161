import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Catalog, ChannelSettings, MissionLength } from '../api/api-types.js';
import { describeError, HoldoutApi } from '../api/holdout-api.js';
import { roleOf, type TwitchAuth, type TwitchExt } from '../twitch/twitch-ext.js';

const LENGTHS: { id: MissionLength; label: string }[] = [
  { id: 'short', label: 'Short (half length)' },
  { id: 'standard', label: 'Standard' },
  { id: 'long', label: 'Long (one and a half)' },
];

/** The broadcaster's page: the channel's rules, saved through the API. */
export function ConfigApp({ ext }: { ext: TwitchExt }) {
  const token = useRef<string | null>(null);
  const api = useMemo(() => new HoldoutApi(() => token.current), []);
  const [auth, setAuth] = useState<TwitchAuth | null>(null);
  const [settings, setSettings] = useState<ChannelSettings | null>(null);
  const [difficulties, setDifficulties] = useState<Catalog['difficulties']>([]);
  const [status, setStatus] = useState<{ tone: 'ok' | 'bad'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    ext.onAuthorized((next) => {
      token.current = next.token;
      setAuth(next);
      Promise.all([api.settings(), api.catalog()])
        .then(([current, catalog]) => {
          setSettings(current);
          setDifficulties(catalog.difficulties);
        })
        .catch((e) => setStatus({ tone: 'bad', text: describeError(e) }));
    });
  }, [ext, api]);

  if (!auth) return <p class="muted">Waiting for Twitch…</p>;
  const broadcaster = roleOf(auth.token) === 'broadcaster';
  const change = (patch: Partial<ChannelSettings>) => settings && setSettings({ ...settings, ...patch });

  return (
    <form
      class="config"
      onSubmit={(e) => {
        e.preventDefault();
        if (!settings) return;
        setSaving(true);
        api
          .saveSettings(settings)
          .then((saved) => {
            setSettings(saved);
            setStatus({ tone: 'ok', text: 'Saved. Viewers see the new rules on their next mission.' });
          })
          .catch((error) => setStatus({ tone: 'bad', text: describeError(error) }))
          .finally(() => setSaving(false));
      }}
    >
      <h1>Holdout · channel rules</h1>
      {!broadcaster && (
        <p class="notice notice-warn">Only the channel's broadcaster can change these rules.</p>
      )}
      {settings === null ? (
        <p class="muted">Loading the channel's rules…</p>
      ) : (
        <fieldset disabled={!broadcaster || saving}>
          <label class="field" for="max-difficulty">
            <span>Hardest difficulty allowed</span>
            <select
              id="max-difficulty"
              value={settings.maxDifficulty}
              onChange={(e) => change({ maxDifficulty: Number(e.currentTarget.value) })}
            >
              {difficulties.map((d) => (
                <option key={d.level} value={d.level}>
                  {d.level} · {d.name}
                  {d.deathChance > 0 ? ' (survivors can die)' : ''}
                </option>
              ))}
            </select>
          </label>
          <label class="field" for="mission-length">
            <span>Mission length</span>
            <select
              id="mission-length"
              value={settings.missionLength}
              onChange={(e) => change({ missionLength: e.currentTarget.value as MissionLength })}
            >
              {LENGTHS.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.label}
                </option>
              ))}
            </select>
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={settings.groupMissionsEnabled}
              onChange={(e) => change({ groupMissionsEnabled: e.currentTarget.checked })}
            />
            Group missions (lobbies of 2–4 viewers)
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={settings.chatMessagesEnabled}
              onChange={(e) => change({ chatMessagesEnabled: e.currentTarget.checked })}
            />
            Chat messages (event starts, results, rare highlights)
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={settings.moderatorsRunEvents}
              onChange={(e) => change({ moderatorsRunEvents: e.currentTarget.checked })}
            />
            Moderators may run events (open, start, cancel, remove sign-ups)
          </label>
          <label class="field" for="season-period">
            <span>Season</span>
            <select
              id="season-period"
              value={settings.seasonPeriod}
              onChange={(e) =>
                change({ seasonPeriod: e.currentTarget.value as ChannelSettings['seasonPeriod'] })
              }
            >
              <option value="weekly">Weekly (from Monday 00:00 UTC)</option>
              <option value="monthly">Monthly (from the 1st)</option>
            </select>
          </label>
          <label class="field" for="season-goal">
            <span>Channel goal: missions held out per season</span>
            <input
              id="season-goal"
              type="number"
              min={1}
              max={1_000_000}
              value={settings.seasonGoal}
              onChange={(e) => change({ seasonGoal: Number(e.currentTarget.value) })}
            />
          </label>
          <button type="submit" class="primary">
            {saving ? 'Saving…' : 'Save'}
          </button>
        </fieldset>
      )}
      {status && (
        <p
          class={`notice ${status.tone === 'bad' ? 'notice-warn' : ''}`}
          role="status"
          data-testid="config-status"
        >
          {status.text}
        </p>
      )}
    </form>
  );
}
