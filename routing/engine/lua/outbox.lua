-- Claim outbox entries whose lease expired (their replica died or gave up): each claimer
-- gets distinct entries and a fresh lease. A: limit, max_resends (-1: unbounded)
-- A decision claimed again for the same attempt is a re-send; past max_resends the call is
-- lost (its node never took the continue) and is abandoned instead of re-sent forever.
local limit = tonumber(A[1]) or 100
local max_resends = tonumber(A[2]) or -1
local due = redis.call('ZRANGEBYSCORE', KOUTBOX, '-inf', fmt(NOW), 'LIMIT', 0, limit)
OUT.gave_up = 0
for _, member in ipairs(due) do
  local cid, token = string.match(member, '^(.*)|([^|]*)$')
  local key = kcall(cid or '')
  local send = true
  if max_resends >= 0 and cid and redis.call('EXISTS', key) == 1 then
    local seen = redis.call('HGET', key, 'claimed_attempt')
    if seen == token then
      if redis.call('HINCRBY', key, 'resends', 1) > max_resends then
        send = false
        redis.call('ZREM', KOUTBOX, member)
        OUT.gave_up = OUT.gave_up + 1
        local call = hgetall(key)
        note('call ' .. cid .. ': continue re-sent ' .. max_resends .. ' times; giving up')
        if token ~= 'x' and call.state == 'reserved' and call.attempt == token then
          lose_call(cid, call, 'continue_failed')
        end
      end
    else
      redis.call('HSET', key, 'claimed_attempt', token)
    end
  end
  if send then
    redis.call('ZADD', KOUTBOX, fmt(NOW + LEASE_MS), member)
    OUT.dispatch[#OUT.dispatch + 1] = member
  end
end
return result()
