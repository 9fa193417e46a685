-- Apply a call-control event (dtmf: reason = the digits). Duplicates are no-ops; late or out-of-order events are
-- resolved and noted. held/resumed mark a connected call's holds (talk time excludes them). A: call_id, type, by, reason, at_ms (0 = now), mode ('sync': see
-- agent_failed), node (the node reporting it; empty: not said)
local cid, etype, by, reason = A[1], A[2], A[3], A[4]
local CALLBACK_DIGIT = '1'
local call = hgetall(kcall(cid))
if next(call) == nil then
  OUT.status = 'not_found'
  return result()
end
local claimant = A[7] or ''
if claimant ~= '' and (call.node or '') ~= '' and claimant ~= call.node then
  -- Only the node that holds a call reports on it: another node's event is refused.
  OUT.status = 'conflict'
  note('node ' .. claimant .. ' reported ' .. etype .. ' for a call node ' .. call.node .. ' holds')
  return result()
end
if call.lost_reason and call.lost_reason ~= '' then
  -- Reconciliation ended this call already; whatever the node says now cannot revive it.
  OUT.status = 'duplicate'
  OUT.state = call.state
  note(etype .. ' after reconciliation ended the call (' .. call.lost_reason .. ')')
  return result()
end
local at = tonumber(A[5]) or 0
if at <= 0 or at > NOW then at = NOW end
local reported_at = at
local floor = tonumber(call.enq_ms) or tonumber(call.first_ms) or at
if at < floor then at = floor end
local state = call.state
OUT.state = state

local function ignore(status, why)
  OUT.status = status
  note(why)
end

if etype == 'ringing' then
  if state == 'reserved' then
    if call.callback == '1' and (call.ringing_ms or '') == '' then
      -- A callback's agent took the leg and the customer's phone now rings: the ring timer
      -- starts again from here, so the customer gets the queue's whole ring time (the node
      -- gives up a little earlier and reports why).
      local q = queue_cfg(call.queue_id)
      timer_add('ring|' .. cid .. '|' .. (call.attempt or ''), NOW + ((q and q.ring) or 20) * 1000)
    end
    redis.call('HSET', kcall(cid), 'ringing_ms', fmt(at))
  else
    ignore('ignored', 'ringing while ' .. state)
  end
elseif etype == 'answered' then
  if state == 'reserved' then
    answer(cid, call, at)
  elseif state == 'connected' then
    ignore('duplicate', 'answered again')
  elseif state == 'ended' then
    ignore('duplicate', 'answered after ended: the answer was inferred when ended arrived')
  else
    ignore('ignored', 'answered while ' .. state)
  end
elseif etype == 'ended' then
  if state == 'connected' then
    end_call(cid, call, by, at)
  elseif state == 'reserved' then
    -- ended overtook answered: the agent did talk, so infer the answer at the same instant.
    note('ended before answered: answer inferred')
    answer(cid, call, at)
    end_call(cid, call, by, at)
  elseif state == 'queued' then
    note('ended while queued: treated as an abandon')
    abandon(cid, call, at, reason)
  elseif state == 'ended' then
    ignore('duplicate', 'ended again')
  else
    ignore('duplicate', 'ended after ' .. state)
  end
elseif etype == 'held' then
  if state ~= 'connected' then
    ignore('ignored', 'held while ' .. state)
  elseif tonumber(call.held_since) then
    ignore('duplicate', 'held again')
  else
    redis.call('HSET', kcall(cid), 'held_since', fmt(at))
    emit('call.held', {'call_id', cid, 'queue_id', call.queue_id, 'agent_id', call.agent_id,
      'by', by}, at)
  end
elseif etype == 'resumed' then
  local since = tonumber(call.held_since)
  if state ~= 'connected' then
    ignore('ignored', 'resumed while ' .. state)
  elseif not since then
    ignore('duplicate', 'resumed while not held')
  else
    local held = math.max(0, at - since)
    redis.call('HSET', kcall(cid), 'hold_ms', fmt((tonumber(call.hold_ms) or 0) + held))
    redis.call('HDEL', kcall(cid), 'held_since')
    emit('call.resumed', {'call_id', cid, 'queue_id', call.queue_id, 'agent_id', call.agent_id,
      'by', by, 'hold_ms', held}, at)
  end
elseif etype == 'abandoned' then
  if state == 'queued' or state == 'reserved' then
    abandon(cid, call, at, reason)
  elseif state == 'connected' then
    note('abandoned after answer: treated as ended by the caller')
    end_call(cid, call, 'caller', at)
  elseif state == 'abandoned' then
    ignore('duplicate', 'abandoned again')
  else
    ignore('duplicate', 'abandoned after ' .. state)
  end
elseif etype == 'agent_failed' then
  if state == 'reserved' then
    if reported_at < (tonumber(call.reserved_ms) or 0) then
      ignore('duplicate', 'agent_failed older than the current reservation')
    else
      agent_failed(cid, call, reason ~= '' and reason or 'failed')
      if A[6] == 'sync' then
        -- The node asks synchronously (it cannot wait for a continue again): the next agent
        -- is named in the reply, not sent; with nobody free the call ends here.
        local now = hgetall(kcall(cid))
        if now.state == 'reserved' then
          local member = cid .. '|' .. now.attempt
          redis.call('ZREM', KOUTBOX, member)
          local kept = {}
          for _, m in ipairs(OUT.dispatch) do
            if m ~= member then kept[#kept + 1] = m end
          end
          OUT.dispatch = kept
          OUT.next_attempt = now.attempt
        elseif now.state == 'queued' then
          abandon(cid, now, NOW, 'no_agent')
          note('no agent free after agent_failed: call ended')
        end
      end
    end
  else
    ignore('duplicate', 'agent_failed while ' .. state)
  end
elseif etype == 'dtmf' then
  -- Keys pressed (reason carries them): no state change, an event for flows to act on.
  if state == 'queued' or state == 'reserved' or state == 'connected' then
    emit('call.dtmf', {'call_id', cid, 'queue_id', call.queue_id, 'agent_id', call.agent_id,
      'digits', reason, 'by', by, 'state', state}, at)
    -- "Press 1 to be called back and keep your place": in a queue that offers callbacks
    -- (max_wait_action=callback), the caller takes the callback now instead of at max wait.
    if state == 'queued' and by == 'caller' and reason == CALLBACK_DIGIT
        and call.callback ~= '1' then
      local q = queue_cfg(call.queue_id)
      if q and q.max_wait_action == 'callback' then
        offer_callback(cid, call)
        OUT.callback = '1'
        note('callback offer taken by DTMF')
      end
    end
  else
    ignore('ignored', 'dtmf while ' .. state)
  end
else
  return redis.error_reply('BAD_INPUT unknown event type ' .. etype)
end
return result()
