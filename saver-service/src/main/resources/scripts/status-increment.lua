-- Adds to a counter of a message's status hash. A hash nobody gave a lifetime yet (push-api normally
-- does) gets one, so a late increment never leaves a key that lives forever.
-- KEYS[1] status hash; ARGV[1] field, ARGV[2] increment, ARGV[3] expiry to use if it has none (epoch ms)
local value = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
if redis.call('PTTL', KEYS[1]) == -1 then
  redis.call('PEXPIREAT', KEYS[1], ARGV[3])
end
return value
