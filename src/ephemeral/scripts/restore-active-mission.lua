-- Puts back a mission rebuilt from Postgres, unless Redis already holds a state for it
-- (a worker or the start service got there first; theirs is at least as new).
-- KEYS[1] active_mission:{shard}:{id}  KEYS[2] missions_due:{shard}   ARGV[1] record JSON  ARGV[2] next tick (ms)  ARGV[3] id
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
  return 1
end
return 0
