-- After a mission's completion is durable: keep its final record briefly (so panels can show the
-- result), take it off the schedule and drop its lock.
-- KEYS[1] active_mission:{shard}:{id}  KEYS[2] missions_due:{shard}  KEYS[3] tick_lock:{id}
-- ARGV[1] final record JSON  ARGV[2] how long to keep it (ms)  ARGV[3] id
redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
redis.call('ZREM', KEYS[2], ARGV[3])
redis.call('DEL', KEYS[3])
return 1
