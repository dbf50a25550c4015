-- Adds to one counter of the status hashes of several messages that share a slot (the messages of one
-- send request share their status tag). A hash nobody gave a lifetime yet (push-api normally does) gets
-- one, so a late increment never leaves a key that lives forever.
-- KEYS status hashes; ARGV[1] field, then per key: increment, expiry to use if it has none (epoch ms)
for i = 1, #KEYS do
  redis.call('HINCRBY', KEYS[i], ARGV[1], ARGV[2 * i])
  if redis.call('PTTL', KEYS[i]) == -1 then
    redis.call('PEXPIREAT', KEYS[i], ARGV[2 * i + 1])
  end
end
return #KEYS
