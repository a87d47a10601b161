-- Claims, for one worker, the due missions of one schedule shard that the worker picked by reading
-- missions_due (every key in KEYS, as Redis Cluster needs: the candidates' lock keys are known only
-- after that read). A candidate claimed or pushed back by another worker since then is skipped.
-- KEYS[1] missions_due:{shard}  KEYS[1 + i] tick_lock:{shard}:{id i}
-- ARGV[1] now (ms)  ARGV[2] lock TTL (ms)  ARGV[3] token  ARGV[3 + i] id i
-- Returns a flat list: id1, dueAt1, id2, dueAt2, ...
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local claimed = {}
for i = 1, #KEYS - 1 do
  local id = ARGV[3 + i]
  local lockKey = KEYS[1 + i]
  local score = redis.call('ZSCORE', KEYS[1], id)
  if score and tonumber(score) <= now then
    if redis.call('SET', lockKey, ARGV[3], 'NX', 'PX', ttl) then
      -- Pushed forward by the lease: if this worker dies, the mission is due again when its lock expires.
      redis.call('ZADD', KEYS[1], 'XX', now + ttl, id)
      claimed[#claimed + 1] = id
      claimed[#claimed + 1] = score
    else
      -- Held by another claimer: look again when that lock can have expired, not on every poll.
      local left = redis.call('PTTL', lockKey)
      if left < 1 then left = 1 end
      redis.call('ZADD', KEYS[1], 'XX', now + left, id)
    end
  end
end
return claimed
