-- Commits one simulated tick, or refuses it. Atomic, so a tick is either wholly visible or not at all.
-- KEYS[1] active_mission:{id}  KEYS[2] missions_due  KEYS[3] tick_lock:{id}  KEYS[4] mission_log_outbox
-- ARGV[1] lock token  ARGV[2] expected stored tick (N)  ARGV[3] new record JSON (tick N+1)
-- ARGV[4] next tick time in ms, or '' when the mission has ended  ARGV[5] mission id
-- ARGV[6] the log row for the outbox
if redis.call('GET', KEYS[3]) ~= ARGV[1] then
  return 'lost_lock'
end
local current = redis.call('GET', KEYS[1])
if not current then
  return 'missing'
end
-- The tick index is the fencing token: a worker whose lock lapsed and was re-taken holds an old N.
-- Records are written with "tick" as their first field, so no JSON decoding is needed here.
if string.match(current, '^{"tick":(%d+),') ~= ARGV[2] then
  return 'stale'
end
redis.call('SET', KEYS[1], ARGV[3])
if ARGV[4] == '' then
  redis.call('ZREM', KEYS[2], ARGV[5])
else
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
end
redis.call('XADD', KEYS[4], '*', 'row', ARGV[6])
redis.call('DEL', KEYS[3])
return 'committed'
