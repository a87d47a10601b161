-- Records one viewer's vote for an open choice point, unless the tick that applies it has closed the
-- vote already (then its input is fixed, and a late vote would be one nobody's tick used).
-- KEYS[1] choice_votes:{mission}:{tick}  ARGV[1] user id  ARGV[2] option  ARGV[3] TTL in ms
if redis.call('HEXISTS', KEYS[1], '!closed') == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
