-- Fragment, not a script: lua-scripts.ts puts it before commit-ticks.lua and commit-event-ticks.lua,
-- the two fenced tick commits, so the fence is written once.
-- Commits one tick (record, schedule, outbox row, lock released) or refuses it; returns the outcome:
-- committed, lost_lock, stale or missing. dueKey and outboxKey are the mission's schedule shard's.
local function fencedCommit(dueKey, outboxKey, recordKey, lockKey, token, expected, record, nextAt, id, row)
  if redis.call('GET', lockKey) ~= token then return 'lost_lock' end
  local current = redis.call('GET', recordKey)
  if not current then return 'missing' end
  -- The tick index is the fencing token: a worker whose lock lapsed and was re-taken holds an old N.
  -- Records are written with "tick" as their first field, so no JSON decoding is needed here.
  if string.match(current, '^{"tick":(%d+),') ~= expected then return 'stale' end
  redis.call('SET', recordKey, record)
  if nextAt == '' then
    redis.call('ZREM', dueKey, id)
  else
    redis.call('ZADD', dueKey, nextAt, id)
  end
  redis.call('XADD', outboxKey, '*', 'row', row)
  redis.call('DEL', lockKey)
  return 'committed'
end
