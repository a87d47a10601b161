-- Writes a rebuilt viewer roster only if the filler's lease is still in place. Any change to the
-- roster deletes the key (and with it the lease), so a roster read before that change is dropped.
-- KEYS[1] viewer:{userId}   ARGV[1] the lease   ARGV[2] roster JSON   ARGV[3] TTL (ms)
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', tonumber(ARGV[3]))
  return 1
end
return 0
