-- Claim outbox entries whose lease expired (their replica died or gave up): each claimer
-- gets distinct entries and a fresh lease. A: limit
local limit = tonumber(A[1]) or 100
local due = redis.call('ZRANGEBYSCORE', KOUTBOX, '-inf', fmt(NOW), 'LIMIT', 0, limit)
for _, member in ipairs(due) do
  redis.call('ZADD', KOUTBOX, fmt(NOW + LEASE_MS), member)
  OUT.dispatch[#OUT.dispatch + 1] = member
end
return result()
