-- Fire due timers. Popping a timer and acting on it happen in this one script, so exactly
-- one replica fires each. A: limit
local limit = tonumber(A[1]) or 100
local due = redis.call('ZRANGEBYSCORE', KTIMERS, '-inf', fmt(NOW), 'LIMIT', 0, limit)
local fired = 0
for _, member in ipairs(due) do
  redis.call('ZREM', KTIMERS, member)
  local parts = split(member)
  local kind, id, token = parts[1], parts[2], parts[3]
  if kind == 'ring' then
    local call = hgetall(kcall(id))
    if call.state == 'reserved' and call.attempt == token then
      agent_failed(id, call, 'ring_timeout')
      fired = fired + 1
    end
  elseif kind == 'acw' then
    local a = agent_get(id)
    if a.state == 'acw' and fmt(a.since) == token then
      if disposition_owed(a) then
        -- A required disposition is missing: the agent stays in ACW (receives no call) until
        -- it records one, which then ends the wrap-up at once.
        redis.call('HSET', kcall(a.call_id), 'acw_expired', '1')
        emit('agent.wrap_up_overdue', {'agent_id', id, 'call_id', a.call_id})
      else
        set_agent(id, 'available', '', '')
        match_agent(id)
      end
      fired = fired + 1
    end
  elseif kind == 'maxwait' then
    local call = hgetall(kcall(id))
    if call.leg == token and call.state == 'queued' then
      local q = queue_cfg(call.queue_id)
      local action = (q and q.max_wait_action) or 'reject'
      local target = (q and q.overflow_queue_id) or ''
      if action == 'overflow' and target ~= '' and target ~= call.queue_id and queue_cfg(target) then
        overflow(id, call, target)
      elseif action == 'callback' then
        offer_callback(id, call)
      else
        reject_waiting(id, call, 480, 'max wait reached')
      end
      fired = fired + 1
    elseif call.leg == token and call.state == 'reserved' then
      -- The call is ringing an agent: look again once that ring has had its chance.
      local q = queue_cfg(call.queue_id)
      timer_add(member, NOW + ((q and q.ring) or 20) * 1000 + 1000)
    end
  elseif kind == 'maxdur' then
    local call = hgetall(kcall(id))
    if call.state == 'connected' and call.answered_ms == token then
      note('call ' .. id .. ' reached the maximum call duration')
      lose_call(id, call, 'max_duration')
      OUT.hangups = OUT.hangups or {}
      OUT.hangups[#OUT.hangups + 1] = {call_id = id, node = call.node or ''}
      fired = fired + 1
    end
  elseif kind == 'announce' then
    -- A queued caller's position and estimated wait, for the routing process to speak
    -- (OUT.announce); re-armed while the call waits.
    local call = hgetall(kcall(id))
    local q = queue_cfg(call.queue_id)
    if call.leg == token and (call.state == 'queued' or call.state == 'reserved')
        and q and q.announce > 0 then
      timer_add(member, NOW + q.announce * 1000)
      local rank = call.state == 'queued' and redis.call('ZRANK', kwait(call.queue_id), id)
      if rank then
        local position = rank + 1
        local staffed = math.max(1, redis.call('SCARD', kmembers(call.queue_id)))
        local ewt = math.ceil(position * q.aht / staffed)
        OUT.announce = OUT.announce or {}
        OUT.announce[#OUT.announce + 1] = {id, call.queue_id, position, ewt}
        emit('call.announced', {'call_id', id, 'queue_id', call.queue_id,
          'position', position, 'ewt_s', ewt})
        fired = fired + 1
      end
    end
  elseif kind == 'sticky' then
    local call = hgetall(kcall(id))
    if call.leg == token and call.state == 'queued' then
      redis.call('ZREM', ksticky(call.sticky_agent), id)
      redis.call('ZADD', kwait(call.queue_id), call.score, id)
      match_queue(call.queue_id)
      fired = fired + 1
    end
  end
end
OUT.fired = fired
OUT.popped = #due
return result()
