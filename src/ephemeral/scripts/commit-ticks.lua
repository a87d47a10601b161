-- Commits a batch of simulated ticks, or refuses each one that may not be committed. One call for the
-- whole batch: the tick worker's hot path pays one round trip and one script invocation, not one per tick.
-- fencedCommit comes from fenced-commit.lua, put before this script when it is loaded.
-- KEYS[1] missions_due:{shard}  KEYS[2] mission_log_outbox:{shard} (one schedule shard: one slot, keys.ts)
-- then per commit i (from 0): KEYS[3 + 2i] active_mission:{id}  KEYS[4 + 2i] tick_lock:{id}
-- ARGV per commit i, at 6i + 1..6: lock token, expected stored tick (N), new record JSON (tick N+1),
--   next tick time in ms or '' when the mission has ended, mission id, the log row for the outbox
-- Returns one outcome per commit: committed, lost_lock, stale or missing.
local outcomes = {}
for i = 0, (#KEYS - 2) / 2 - 1 do
  local a = 6 * i
  outcomes[i + 1] = fencedCommit(KEYS[1], KEYS[2], KEYS[3 + 2 * i], KEYS[4 + 2 * i],
    ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5], ARGV[a + 6])
end
return outcomes
