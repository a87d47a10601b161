-- Writes a rebuilt viewer roster only if the filler's lease is still in place. Any change to the
-- roster deletes the key (and with it the lease), so a roster read before that change is dropped.
-- The same roster is kept as the viewer's last known one, longer, for polls while Postgres is down.
-- KEYS[1] viewer:{userId}   KEYS[2] viewer_last:{userId}
-- ARGV[1] the lease   ARGV[2] roster JSON   ARGV[3] TTL (ms)   ARGV[4] TTL of the last known copy (ms)
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', tonumber(ARGV[3]))
  redis.call('SET', KEYS[2], ARGV[2], 'PX', tonumber(ARGV[4]))
  return 1
end
return 0
