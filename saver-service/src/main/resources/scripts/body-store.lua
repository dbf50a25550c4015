-- Stores a message body until the message expires.
-- KEYS[1] body key; ARGV[1] JSON body, ARGV[2] expiry (epoch ms)
redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2])
return 1
