-- Records devices in one shard of the pending-expiry index, each at its earliest pending expiry.
-- KEYS[1] index shard (ZSET app:device -> expiry)
-- ARGV pairs: ARGV[i] expiry (epoch ms), ARGV[i+1] app:device
-- LT: a device already due earlier keeps that time; a new device is added. One ZADD per pair, as a
-- multicast can put thousands of devices in one shard and ZADD's arguments would not fit Lua's stack.
for i = 1, #ARGV, 2 do
  redis.call('ZADD', KEYS[1], 'LT', ARGV[i], ARGV[i + 1])
end
return #ARGV / 2
