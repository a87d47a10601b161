-- Closes a choice point's vote and returns its votes, in one step: no vote can land after the tick
-- read them. Closing again returns the same votes, so a tick run again after a crash uses the same input.
-- KEYS[1] choice_votes:{mission}:{tick}  ARGV[1] TTL in ms
redis.call('HSET', KEYS[1], '!closed', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return redis.call('HGETALL', KEYS[1])
