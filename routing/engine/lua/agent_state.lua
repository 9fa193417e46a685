-- An agent (or a supervisor for them) changes the agent's state.
-- A: agent_id, target state (available | offline | break:<reason>)
local aid, target = A[1], A[2]
if not profile(aid) then return redis.error_reply('NOT_FOUND agent has no routing profile') end
local reason = ''
if string.sub(target, 1, 6) == 'break:' then
  reason = string.sub(target, 7)
  if reason == '' then return redis.error_reply('BAD_TRANSITION a break needs a reason') end
elseif target ~= 'available' and target ~= 'offline' then
  return redis.error_reply('BAD_TRANSITION agents may set only available, offline or break:<reason>')
end
local a = agent_get(aid)
OUT.previous_state = a.state
if a.state == target then
  OUT.status = 'unchanged'
  OUT.state = target
  return result()
end
if a.state == 'reserved' or a.state == 'on_contact' then
  return redis.error_reply('BAD_TRANSITION cannot leave ' .. a.state .. ' for ' .. target
    .. ' while a call is offered or connected')
end
if target ~= 'offline' and disposition_owed(a) then
  -- Only signing off leaves a required disposition unrecorded (the end of a shift).
  return redis.error_reply('CONFLICT record a disposition for call ' .. a.call_id
    .. ' before leaving wrap-up')
end
if a.state == 'acw' then timer_del('acw|' .. aid .. '|' .. fmt(a.since)) end
set_agent(aid, target, reason, '')
if target == 'available' then match_agent(aid) end
OUT.state = agent_get(aid).state
return result()
