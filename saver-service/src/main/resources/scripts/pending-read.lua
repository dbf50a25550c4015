-- Reads what one device has pending and its server-side broadcast cursor, dropping expired entries.
-- KEYS[1] pending (ZSET id -> expiry), KEYS[2] broadcast cursor
-- ARGV[1] now (epoch ms)
-- Returns a flat list: cursor, n, then n pairs (expired id, its expiry), then the live ids.
local bound = '(' .. ARGV[1]
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', bound, 'WITHSCORES')
if #expired > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', bound)
end
local live = redis.call('ZRANGE', KEYS[1], 0, -1)
local out = { redis.call('GET', KEYS[2]) or '0', tostring(#expired / 2) }
for i = 1, #expired do
  out[#out + 1] = expired[i]
end
for i = 1, #live do
  out[#out + 1] = live[i]
end
return out
