-- Changes a channel event's status in its live meter, only if the meter exists: a meter created by
-- this write alone would lack its progress, and the reconciler would then never rebuild it.
-- KEYS[1] channel_event:{id}  ARGV[1] status
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1])
return 1
