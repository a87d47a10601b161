-- Commits a batch of simulated ticks, or refuses each one that may not be committed. One call for the
-- whole batch: the tick worker's hot path pays one round trip and one script invocation, not one per tick.
-- KEYS[1] missions_due:{shard}  KEYS[2] mission_log_outbox:{shard} (one schedule shard: one slot, keys.ts)
-- then per commit i (from 0): KEYS[3 + 2i] active_mission:{id}  KEYS[4 + 2i] tick_lock:{id}
-- ARGV per commit i, at 6i + 1..6: lock token, expected stored tick (N), new record JSON (tick N+1),
--   next tick time in ms or '' when the mission has ended, mission id, the log row for the outbox
-- Returns one outcome per commit: committed, lost_lock, stale or missing.
local outcomes = {}
for i = 0, (#KEYS - 2) / 2 - 1 do
  local recordKey, lockKey = KEYS[3 + 2 * i], KEYS[4 + 2 * i]
  local token, expected, record, nextAt, id, row =
    ARGV[6 * i + 1], ARGV[6 * i + 2], ARGV[6 * i + 3], ARGV[6 * i + 4], ARGV[6 * i + 5], ARGV[6 * i + 6]
  local outcome = 'committed'
  if redis.call('GET', lockKey) ~= token then
    outcome = 'lost_lock'
  else
    local current = redis.call('GET', recordKey)
    if not current then
      outcome = 'missing'
    -- The tick index is the fencing token: a worker whose lock lapsed and was re-taken holds an old N.
    -- Records are written with "tick" as their first field, so no JSON decoding is needed here.
    elseif string.match(current, '^{"tick":(%d+),') ~= expected then
      outcome = 'stale'
    end
  end
  if outcome == 'committed' then
    redis.call('SET', recordKey, record)
    if nextAt == '' then
      redis.call('ZREM', KEYS[1], id)
    else
      redis.call('ZADD', KEYS[1], nextAt, id)
    end
    redis.call('XADD', KEYS[2], '*', 'row', row)
    redis.call('DEL', lockKey)
  end
  outcomes[i + 1] = outcome
end
return outcomes
