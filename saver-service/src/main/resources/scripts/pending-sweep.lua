-- Removes one device's expired pending entries and says when its next entry expires.
-- KEYS[1] pending (ZSET id -> expiry)
-- ARGV[1] now (epoch ms)
-- Returns a flat list: n, then n pairs (expired id, its expiry), then the earliest remaining expiry if
-- any entry remains. Expired means the same as in pending-read.lua: an expiry before now.
local bound = '(' .. ARGV[1]
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', bound, 'WITHSCORES')
if #expired > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', bound)
end
local out = { tostring(#expired / 2) }
for i = 1, #expired do
  out[#out + 1] = expired[i]
end
local next = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if next[2] then
  out[#out + 1] = next[2]
end
return out
