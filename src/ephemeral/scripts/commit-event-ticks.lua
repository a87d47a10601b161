-- commit-ticks.lua for the ticks of channel events' missions: the same fenced commit, plus the tick's
-- share of its event in the same atomic step, so a refused (stale, lost-lock) tick never counts and a
-- committed one counts exactly once. The share goes to the event's meter part of the mission's schedule
-- shard (keys.ts), so every key here is in that shard's slot; readers sum the parts.
-- fencedCommit comes from fenced-commit.lua, put before this script when it is loaded.
-- KEYS[1] missions_due:{shard}  KEYS[2] mission_log_outbox:{shard}
-- then per commit i (from 0): KEYS[3 + 5i] active_mission:{id}  KEYS[4 + 5i] tick_lock:{id}
--   KEYS[5 + 5i] event_progress:{shard}:{eventId}  KEYS[6 + 5i] event_contributions_part:{shard}:{eventId}
--   KEYS[7 + 5i] event_highlights_part:{shard}:{eventId}
-- ARGV[1] highlights kept; then per commit i, at 1 + 8i + 1..8: lock token, expected stored tick (N),
--   new record JSON, next tick time in ms or '', mission id, the log row, contribution, participant id
-- A commit's highlight (or '') follows at ARGV[1 + 8n + i + 1].
-- Returns one outcome per commit: committed, lost_lock, stale or missing.
local kept = tonumber(ARGV[1])
local n = (#KEYS - 2) / 5
local outcomes = {}
for i = 0, n - 1 do
  local a = 1 + 8 * i
  local outcome = fencedCommit(KEYS[1], KEYS[2], KEYS[3 + 5 * i], KEYS[4 + 5 * i],
    ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5], ARGV[a + 6])
  if outcome == 'committed' then
    local contribution, userId = ARGV[a + 7], ARGV[a + 8]
    local highlight = ARGV[1 + 8 * n + i + 1]
    redis.call('INCRBY', KEYS[5 + 5 * i], contribution)
    redis.call('ZINCRBY', KEYS[6 + 5 * i], contribution, userId)
    if highlight ~= '' then
      redis.call('LPUSH', KEYS[7 + 5 * i], highlight)
      redis.call('LTRIM', KEYS[7 + 5 * i], 0, kept - 1)
    end
  end
  outcomes[i + 1] = outcome
end
return outcomes
