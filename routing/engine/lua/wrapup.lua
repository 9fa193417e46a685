-- An agent wraps up a call it handled: records the disposition and note (call.wrapped_up)
-- and, when asked to finish or when no ACW timer is left to end it, leaves ACW for available.
-- Without a disposition it only finishes ACW early, refused while a required one is owed.
-- A: agent_id, call_id, disposition_id, disposition_code, note, finish ('1' | '')
local aid, cid, did, code, wnote, finish = A[1], A[2], A[3] or '', A[4] or '', A[5] or '', A[6]
if not profile(aid) then return redis.error_reply('NOT_FOUND agent has no routing profile') end
local a = agent_get(aid)
if cid == '' then cid = a.call_id or '' end
if cid == '' then return redis.error_reply('BAD_TRANSITION no call to wrap up') end
local key = kcall(cid)
local call = hgetall(key)
if next(call) == nil or call.agent_id ~= aid or (call.answered_ms or '') == '' then
  return redis.error_reply('NOT_FOUND no call of yours with this id')
end
local current = a.state == 'acw' and a.call_id == cid
if did ~= '' then
  redis.call('HSET', key, 'disposition_id', did, 'disposition_code', code)
  emit('call.wrapped_up', {'call_id', cid, 'queue_id', call.queue_id, 'agent_id', aid,
    'disposition_id', did, 'disposition_code', code, 'note', wnote})
  call.disposition_id = did
elseif finish ~= '1' then
  return redis.error_reply('BAD_INPUT give a disposition or finish')
end
if current then
  local q = queue_cfg(call.queue_id)
  -- No ACW timer will end it (it ran out, or the queue has no ACW time): end it now.
  local untimed = call.acw_expired == '1' or not q or q.wrapup <= 0
  if finish == '1' or untimed then
    if disposition_owed(a) then
      return redis.error_reply('CONFLICT record a disposition for call ' .. cid
        .. ' before leaving wrap-up')
    end
    end_acw(aid, a)
  end
elseif finish == '1' and did == '' then
  return redis.error_reply('BAD_TRANSITION not in wrap-up for this call')
end
local now_a = agent_get(aid)
OUT.state = now_a.state
OUT.call_id = cid
return result()
