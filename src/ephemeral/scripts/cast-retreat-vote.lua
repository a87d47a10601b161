-- Records one viewer's vote to retreat (when it was cast, ms) and returns every vote, in one step, so
-- two viewers voting at once both see both votes.
-- KEYS[1] retreat_votes:{mission}  ARGV[1] user id  ARGV[2] ms  ARGV[3] TTL in ms
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return redis.call('HGETALL', KEYS[1])
