-- Claims the devices of one index shard whose earliest pending entry has expired, for one sweep.
-- KEYS[1] index shard (ZSET app:device -> expiry)
-- ARGV[1] now (epoch ms), ARGV[2] most devices to claim, ARGV[3] lease end (epoch ms)
-- A claimed device is moved to the lease end instead of being removed: another saver does not claim
-- it meanwhile, and if this one dies before it reschedules the device, the device is claimed again
-- when the lease ends. Returns the claimed members, earliest due first.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[3], member)
end
return due
