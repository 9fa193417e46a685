-- The ACD library, loaded once as a Valkey function library by routing/engine/scripts.py;
-- each entry script (enqueue.lua, ...) becomes one function of it. Loading once means the
-- library's definitions are not re-run on every call: begin() resets the per-call state.
--
-- args[1] is the tenant's key prefix "{t:<tenant_id>}", args[2] the tenant id, args[3]
-- 32 hex characters from which the call's event ids are derived, args[4] the outbox lease in
-- ms, args[5] "now" in ms (empty: Valkey's TIME; routing/engine/clock.py) and args[6] the
-- maximum call duration in ms (0: none). The entry's own arguments follow (A[1], A[2], ...). keys[1] is the tenant's
-- event stream; every other key is derived from the prefix and therefore shares the
-- tenant's hash tag (one cluster slot).
--
-- Config keys (written by routing-config, read here): P:queue:<q>, P:agent:<a>:profile,
-- P:tenant. Runtime keys (owned here) live under P:rt:.
local MAXPRIO = 1000
local SLOT = 4398046511104    -- 2^42: one priority step in a waiting score
local MID = 2199023255552     -- 2^41: arrivals count up from here, front re-queues down
local TERMINAL_TTL = 86400    -- finished calls stay this long, so duplicates stay idempotent

-- Per-call state, set by begin().
local P, TENANT, EVBASE, A, NOW, OUT, EV_N, SLUG, LEASE_MS, KSTREAM, MAXCALL_MS
local KAGENTS, KACTIVE, KTIMERS, KOUTBOX, KCALLBACKS, KSTATES
local QCACHE, PCACHE

local function begin(keys, args)
  KSTREAM = keys[1]
  P = args[1]
  TENANT = args[2]
  EVBASE = string.sub(args[3], 1, 28)
  LEASE_MS = tonumber(args[4]) or 15000 -- a replica owns an outbox entry this long
  MAXCALL_MS = tonumber(args[6]) or 0
  A = {}
  for i = 7, #args do A[#A + 1] = args[i] end
  NOW = tonumber(args[5])
  if NOW == nil then
    local t = redis.call('TIME')
    NOW = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  end
  OUT = {status = 'ok', reservations = {}, metrics = {}, notes = {}, dispatch = {}}
  EV_N = 0
  SLUG = nil
  KAGENTS = P .. ':rt:agents'
  KSTATES = P .. ':rt:agent_states'
  KACTIVE = P .. ':rt:active'
  KTIMERS = P .. ':rt:timers'
  KOUTBOX = P .. ':rt:outbox'
  KCALLBACKS = P .. ':rt:callbacks'
  QCACHE = {}
  PCACHE = {}
end

local function kcall(cid) return P .. ':rt:call:' .. cid end
local function kwait(qid) return P .. ':rt:q:' .. qid .. ':waiting' end
local function kavail(qid) return P .. ':rt:q:' .. qid .. ':avail' end
local function kmembers(qid) return P .. ':rt:q:' .. qid .. ':members' end
local function kagent(aid) return P .. ':rt:agent:' .. aid end
local function kagentq(aid) return P .. ':rt:agent:' .. aid .. ':queues' end
local function ksticky(aid) return P .. ':rt:agent:' .. aid .. ':sticky' end
local function knode(node) return P .. ':rt:node:' .. node .. ':calls' end

local function fmt(n) return string.format('%.0f', n) end
local function note(s) OUT.notes[#OUT.notes + 1] = s end
local function metric(...) OUT.metrics[#OUT.metrics + 1] = {...} end

local function hgetall(key)
  local r = redis.call('HGETALL', key)
  local t = {}
  for i = 1, #r, 2 do t[r[i]] = r[i + 1] end
  return t
end

local function decode(s, default)
  if s == nil or s == '' then return default end
  local ok, v = pcall(cjson.decode, s)
  if ok and type(v) == 'table' then return v end
  return default
end

local function split(s)
  local parts = {}
  for part in string.gmatch(s, '([^|]+)') do parts[#parts + 1] = part end
  return parts
end

-- Every event goes to the tenant's stream in the script that changes the state.
local function emit(etype, fields, at)
  EV_N = EV_N + 1
  local args = {KSTREAM, 'MAXLEN', '~', '1000000', '*',
    'event_id', EVBASE .. string.format('%04x', EV_N % 65536),
    'tenant_id', TENANT, 'type', etype, 'at', fmt(at or NOW), 'v', '1'}
  for i = 1, #fields, 2 do
    local v = fields[i + 1]
    if type(v) == 'number' then v = fmt(v) end
    if v ~= nil and v ~= '' and v ~= false then
      args[#args + 1] = fields[i]
      args[#args + 1] = v
    end
  end
  redis.call('XADD', unpack(args))
end

-- Configuration, decoded once per call.
local function queue_cfg(qid)
  if qid == nil or qid == '' then return false end
  local c = QCACHE[qid]
  if c == nil then
    local h = hgetall(P .. ':queue:' .. qid)
    if next(h) == nil then
      c = false
    else
      c = h
      c.id = qid
      c.prio = tonumber(h.priority) or 0
      c.skills_t = decode(h.skills, {})
      c.wrapup = tonumber(h.wrapup_s) or 0
      c.ring = tonumber(h.ring_timeout_s) or 20
      if c.ring <= 0 then c.ring = 20 end
      c.short = tonumber(h.short_abandon_s) or 0
      c.sl = tonumber(h.sl_threshold_s) or 20
      c.max_wait = tonumber(h.max_wait_s) or 0
      c.max_size = tonumber(h.max_size) or 0
      c.vip_boost = tonumber(h.vip_boost) or 10
      c.sticky = tonumber(h.sticky_agent_s) or 0
      c.require_disposition = h.require_disposition == '1'
      c.announce = tonumber(h.announce_s) or 0
      c.aht = tonumber(h.aht_s) or 180
    end
    QCACHE[qid] = c
  end
  return c
end

local function profile(aid)
  local p = PCACHE[aid]
  if p == nil then
    local h = hgetall(P .. ':agent:' .. aid .. ':profile')
    if next(h) == nil then
      p = false
    else
      p = h
      p.skills_t = decode(h.skills, {})
    end
    PCACHE[aid] = p
  end
  return p
end

-- The queues the agent's profile allows (decoded on demand: matching never needs it).
local function allowed_queues(p)
  if p.queues_t == nil then
    p.queues_t = {}
    for _, q in ipairs(decode(p.queues, {})) do p.queues_t[tostring(q)] = true end
  end
  return p.queues_t
end

local function qualifies(aid, qid)
  local q = queue_cfg(qid)
  local p = profile(aid)
  if not q or not p then return false end
  for skill, min in pairs(q.skills_t) do
    local level = tonumber(p.skills_t[skill])
    if level == nil or level < (tonumber(min) or 0) then return false end
  end
  return true
end

local function clamp_prio(p)
  if p > MAXPRIO then return MAXPRIO end
  if p < -MAXPRIO then return -MAXPRIO end
  return p
end

-- Timers: members "kind|id|token" scored by due time (ms).
local function timer_add(member, due) redis.call('ZADD', KTIMERS, fmt(due), member) end
local function timer_del(member) if member and member ~= '' then redis.call('ZREM', KTIMERS, member) end end

-- Agents.
local function agent_get(aid)
  local h = hgetall(kagent(aid))
  if next(h) == nil then
    return {state = 'offline', since = NOW, idle_since = NOW, call_id = '', fresh = true}
  end
  h.since = tonumber(h.since) or NOW
  h.idle_since = tonumber(h.idle_since) or h.since
  return h
end

-- Agents by state (a HASH state -> count), moved with every transition so the live gauges
-- read it instead of scanning every agent. Absent (state written before it existed, or a
-- fresh tenant) it is left alone until snapshot.lua counts it once.
local function count_state(old, new)
  if redis.call('EXISTS', KSTATES) == 0 then return end
  if old then redis.call('HINCRBY', KSTATES, old, -1) end
  redis.call('HINCRBY', KSTATES, new, 1)
end

-- keep_idle: the agent returns to available without having worked (the caller hung up while
-- it rang), so it keeps its place in the longest-idle order.
local function set_agent(aid, new_state, reason, call_id, keep_idle)
  local a = agent_get(aid)
  local old = a.state
  if old == 'available' then
    for _, q in ipairs(redis.call('SMEMBERS', kagentq(aid))) do redis.call('ZREM', kavail(q), aid) end
  end
  local fields = {'state', new_state, 'since', fmt(NOW), 'call_id', call_id or '', 'reason', reason or ''}
  if new_state == 'available' then
    local idle = NOW
    if keep_idle then idle = a.idle_since end
    fields[#fields + 1] = 'idle_since'
    fields[#fields + 1] = fmt(idle)
    for _, q in ipairs(redis.call('SMEMBERS', kagentq(aid))) do
      redis.call('ZADD', kavail(q), fmt(idle), aid)
    end
  end
  redis.call('HSET', kagent(aid), unpack(fields))
  local counted = old
  if a.fresh then
    -- A new member was not counted yet; one already listed was counted as offline.
    if redis.call('SADD', KAGENTS, aid) == 1 then counted = nil end
  else
    metric('state_seconds', old, NOW - a.since)
  end
  count_state(counted, new_state)
  metric('agent_state', old, new_state)
  emit('agent.state_changed', {'agent_id', aid, 'state', new_state, 'previous_state', old,
    'reason', reason or '', 'call_id', call_id or ''})
end

-- Calls.
local function wait_score(prio, seq) return fmt((MAXPRIO - clamp_prio(prio)) * SLOT + seq) end

local function outbox_put(cid, token)
  redis.call('ZADD', KOUTBOX, fmt(NOW + LEASE_MS), cid .. '|' .. token)
  OUT.dispatch[#OUT.dispatch + 1] = cid .. '|' .. token
end

local function reserve(cid, aid)
  local key = kcall(cid)
  local call = hgetall(key)
  local q = queue_cfg(call.queue_id)
  redis.call('ZREM', kwait(call.queue_id), cid)
  if call.sticky_agent and call.sticky_agent ~= '' then
    redis.call('ZREM', ksticky(call.sticky_agent), cid)
    timer_del('sticky|' .. cid .. '|' .. (call.leg or '1'))
  end
  local attempt = redis.call('HINCRBY', key, 'attempt', 1)
  redis.call('HSET', key, 'state', 'reserved', 'agent_id', aid, 'reserved_ms', fmt(NOW))
  set_agent(aid, 'reserved', '', cid)
  local ring = 20
  if q then ring = q.ring end
  timer_add('ring|' .. cid .. '|' .. attempt, NOW + ring * 1000)
  outbox_put(cid, tostring(attempt))
  emit('call.reserved', {'call_id', cid, 'queue_id', call.queue_id, 'agent_id', aid})
  local p = profile(aid)
  if SLUG == nil then SLUG = redis.call('HGET', P .. ':tenant', 'slug') or '' end
  -- Everything the continue request needs, so the replica sends it without reading back.
  OUT.reservations[#OUT.reservations + 1] = {call_id = cid, agent_id = aid, attempt = attempt,
    queue_id = call.queue_id, first_ms = tonumber(call.first_ms),
    continue_url = call.continue_url or '', tindex = call.tindex or '', tlabel = call.tlabel or '',
    sip_user = (p and p.sip_user) or '', slug = SLUG, callback = call.callback == '1',
    number = call.from_number or '', did = call.to_number or '', ring = ring,
    record = (q and q.record == '1') or false}
end

-- The longest-idle available agent of the queue whose skill levels meet its minimums.
local function pick_agent(qid)
  -- Pages of 16: the head nearly always qualifies, so do not fetch a long list for it.
  for page = 0, 12 do
    local batch = redis.call('ZRANGE', kavail(qid), page * 16, page * 16 + 15)
    for _, aid in ipairs(batch) do
      if qualifies(aid, qid) then return aid end
    end
    if #batch < 16 then return nil end
  end
  return nil
end

-- Reserve while the queue has both a waiting call and a qualified idle agent. Every call of
-- one queue needs the same skills, so when the head finds nobody, nobody behind it would.
local function match_queue(qid)
  for _ = 1, 1000 do
    local head = redis.call('ZRANGE', kwait(qid), 0, 0)
    if #head == 0 then return end
    local aid = pick_agent(qid)
    if not aid then return end
    reserve(head[1], aid)
  end
end

-- The best call (highest priority, then longest waiting) over every queue the agent is
-- signed in to and qualified for; a caller waiting for this agent (sticky) comes first.
local function match_agent(aid)
  local a = agent_get(aid)
  if a.state ~= 'available' then return end
  local sticky = redis.call('ZRANGEBYSCORE', ksticky(aid), NOW, '+inf', 'LIMIT', 0, 1)
  if #sticky > 0 then
    reserve(sticky[1], aid)
    return
  end
  local best, best_score = nil, nil
  for _, qid in ipairs(redis.call('SMEMBERS', kagentq(aid))) do
    local head = redis.call('ZRANGE', kwait(qid), 0, 0, 'WITHSCORES')
    if #head > 0 then
      local s = tonumber(head[2])
      if (best_score == nil or s < best_score) and qualifies(aid, qid) then
        best, best_score = head[1], s
      end
    end
  end
  if best then reserve(best, aid) end
end

-- Puts the call in its queue as a new leg: score, event, max-wait timer.
-- call: the call's fields when the caller has them at hand (else read from its hash).
local function enqueue_leg(cid, qid, call)
  local key = kcall(cid)
  local q = queue_cfg(qid)
  call = call or hgetall(key)
  local prio = q.prio
  if call.vip == '1' then prio = prio + q.vip_boost end
  prio = clamp_prio(prio)
  local leg = redis.call('HINCRBY', key, 'leg', 1)
  local seq = MID + redis.call('INCR', P .. ':rt:seq')
  local score = wait_score(prio, seq)
  redis.call('HSET', key, 'state', 'queued', 'queue_id', qid, 'priority', prio,
    'enq_ms', fmt(NOW), 'score', score, 'agent_id', '')
  emit('call.enqueued', {'call_id', cid, 'queue_id', qid, 'priority', prio,
    'from', call.from_number or '', 'to', call.to_number or '', 'customer_id', call.customer_id or ''})
  metric('offered', qid)
  if q.max_wait > 0 then
    local member = 'maxwait|' .. cid .. '|' .. leg
    timer_add(member, NOW + q.max_wait * 1000)
    redis.call('HSET', key, 'maxwait_timer', member)
  end
  if q.announce > 0 then
    -- Position and estimated-wait announcements every announce_s (docs/voice.md).
    timer_add('announce|' .. cid .. '|' .. leg, NOW + q.announce * 1000)
  end
  local sticky = call.sticky_agent or ''
  if sticky ~= '' and q.sticky > 0 and redis.call('SISMEMBER', kagentq(sticky), qid) == 1 then
    local a = agent_get(sticky)
    if a.state == 'available' and qualifies(sticky, qid) then
      reserve(cid, sticky)
      return
    end
    -- Wait for the sticky agent alone for a while; the timer then opens the call to all.
    redis.call('ZADD', ksticky(sticky), fmt(NOW + q.sticky * 1000), cid)
    timer_add('sticky|' .. cid .. '|' .. leg, NOW + q.sticky * 1000)
    return
  end
  redis.call('ZADD', kwait(qid), score, cid)
  match_queue(qid)
end

local function requeue_front(cid, call)
  local seq = MID - redis.call('INCR', P .. ':rt:frontseq')
  local score = wait_score(tonumber(call.priority) or 0, seq)
  redis.call('HSET', kcall(cid), 'state', 'queued', 'agent_id', '', 'score', score)
  redis.call('ZADD', kwait(call.queue_id), score, cid)
end

-- Leaves every index; the hash stays for a day so duplicates are recognised.
local function finish_call(cid, call, state, extra)
  local key = kcall(cid)
  redis.call('ZREM', kwait(call.queue_id), cid)
  if call.sticky_agent and call.sticky_agent ~= '' then
    redis.call('ZREM', ksticky(call.sticky_agent), cid)
    timer_del('sticky|' .. cid .. '|' .. (call.leg or '1'))
  end
  timer_del(call.maxwait_timer)
  if call.attempt then timer_del('ring|' .. cid .. '|' .. call.attempt) end
  if call.answered_ms then timer_del('maxdur|' .. cid .. '|' .. call.answered_ms) end
  if call.node and call.node ~= '' then redis.call('SREM', knode(call.node), cid) end
  redis.call('SREM', KACTIVE, cid)
  local fields = {'state', state, 'finished_ms', fmt(NOW)}
  for i = 1, #(extra or {}) do fields[#fields + 1] = extra[i] end
  redis.call('HSET', key, unpack(fields))
  redis.call('EXPIRE', key, TERMINAL_TTL)
end

local function release_to_node(cid, code)
  redis.call('HSET', kcall(cid), 'reject_code', tostring(code))
  outbox_put(cid, 'x')
end

-- A queue that requires a disposition puts the agent in ACW even with no wrap-up time when
-- none was recorded during the call: the agent leaves it by recording one (wrapup.lua).
local function agent_after_call(aid, cid, q)
  local a = agent_get(aid)
  if a.call_id ~= cid then return end
  local owes = q and q.require_disposition and (redis.call('HGET', kcall(cid), 'disposition_id') or '') == ''
  if q and (q.wrapup > 0 or owes) then
    set_agent(aid, 'acw', '', cid)
    if q.wrapup > 0 then timer_add('acw|' .. aid .. '|' .. fmt(NOW), NOW + q.wrapup * 1000) end
  else
    set_agent(aid, 'available', '', '')
    match_agent(aid)
  end
end

-- Whether the agent in ACW still owes its call's queue a disposition.
local function disposition_owed(a)
  if a.state ~= 'acw' or (a.call_id or '') == '' then return false end
  local call = hgetall(kcall(a.call_id))
  if (call.disposition_id or '') ~= '' then return false end
  local q = queue_cfg(call.queue_id)
  return q and q.require_disposition or false
end

-- Leaves ACW for available and offers the agent the next call.
local function end_acw(aid, a)
  timer_del('acw|' .. aid .. '|' .. fmt(a.since))
  set_agent(aid, 'available', '', '')
  match_agent(aid)
end

local function answer(cid, call, at)
  local enq = tonumber(call.enq_ms) or at
  local wait = math.max(0, at - enq)
  local aid = call.agent_id
  timer_del('ring|' .. cid .. '|' .. (call.attempt or ''))
  timer_del(call.maxwait_timer)
  redis.call('ZREM', KOUTBOX, cid .. '|' .. (call.attempt or ''))
  redis.call('HSET', kcall(cid), 'state', 'connected', 'answered_ms', fmt(at))
  if MAXCALL_MS > 0 then
    -- The last line of defence against a call whose end never reaches routing.
    timer_add('maxdur|' .. cid .. '|' .. fmt(at), at + MAXCALL_MS)
  end
  set_agent(aid, 'on_contact', '', cid)
  if call.callback == '1' then
    -- The queue leg already ended (outcome callback); this is the customer picking up.
    emit('callback.connected', {'call_id', cid, 'queue_id', call.queue_id, 'agent_id', aid}, at)
  else
    emit('call.dequeued', {'call_id', cid, 'queue_id', call.queue_id, 'outcome', 'answered',
      'wait_ms', wait, 'agent_id', aid}, at)
    emit('call.answered', {'call_id', cid, 'queue_id', call.queue_id, 'agent_id', aid,
      'wait_ms', wait}, at)
    metric('dequeued', call.queue_id, 'answered', wait)
  end
  metric('handled', call.queue_id)
  call.state = 'connected'
  call.answered_ms = fmt(at)
end

-- Time on hold up to ``at``: the closed holds plus the one still open, if any.
local function hold_total(call, at)
  local total = tonumber(call.hold_ms) or 0
  local since = tonumber(call.held_since)
  if since then total = total + math.max(0, at - since) end
  return total
end

local function end_call(cid, call, by, at, reason)
  local answered = tonumber(call.answered_ms) or at
  local hold = math.min(hold_total(call, at), math.max(0, at - answered))
  local talk = math.max(0, at - answered - hold)
  finish_call(cid, call, 'ended', {'ended_ms', fmt(at), 'ended_by', by, 'hold_ms', fmt(hold)})
  emit('call.ended', {'call_id', cid, 'queue_id', call.queue_id, 'agent_id', call.agent_id,
    'by', by, 'talk_ms', talk, 'hold_ms', hold, 'reason', reason}, at)
  metric('handle', call.queue_id, talk + hold)
  agent_after_call(call.agent_id, cid, queue_cfg(call.queue_id))
end

local function free_ringing_agent(cid, call)
  if call.state ~= 'reserved' then return end
  local a = agent_get(call.agent_id)
  if a.state == 'reserved' and a.call_id == cid then
    set_agent(call.agent_id, 'available', 'caller_abandoned', '', true)
    match_agent(call.agent_id)
  end
end

-- A name-based UUID for the follow-up task of a call, so whoever materialises the task
-- does so idempotently.
local function missed_task_id(cid)
  local h = redis.sha1hex('missed_call:' .. TENANT .. ':' .. cid)
  return string.sub(h, 1, 8) .. '-' .. string.sub(h, 9, 12) .. '-5' ..
    string.sub(h, 14, 16) .. '-a' .. string.sub(h, 18, 20) .. '-' .. string.sub(h, 21, 32)
end

local function abandon(cid, call, at, reason)
  if call.callback == '1' then
    -- The customer we dialled back did not pick up (busy, no answer, not placed): the queue
    -- leg was already counted (outcome callback), so this ends the attempt, and the number
    -- gets a follow-up task: nobody has reached the customer yet.
    redis.call('ZREM', KOUTBOX, cid .. '|' .. (call.attempt or ''))
    finish_call(cid, call, 'callback_failed', {'abandon_reason', reason or ''})
    note('callback not connected: ' .. (reason or ''))
    emit('callback.failed', {'call_id', cid, 'queue_id', call.queue_id,
      'agent_id', call.agent_id or '', 'reason', reason or ''}, at)
    local since = tonumber(call.callback_ms) or tonumber(call.enq_ms) or at
    emit('missed_call.created', {'call_id', cid, 'queue_id', call.queue_id,
      'number', call.from_number or '', 'wait_ms', math.max(0, at - since),
      'task_id', missed_task_id(cid)}, at)
    free_ringing_agent(cid, call)
    return
  end
  local q = queue_cfg(call.queue_id)
  local enq = tonumber(call.enq_ms) or at
  local wait = math.max(0, at - enq)
  local short = q and wait <= q.short * 1000
  local outcome = 'abandoned'
  if short then outcome = 'short_abandoned' end
  local aid = ''
  if call.state == 'reserved' then aid = call.agent_id end
  redis.call('ZREM', KOUTBOX, cid .. '|' .. (call.attempt or ''))
  finish_call(cid, call, 'abandoned', {'abandon_reason', reason or ''})
  emit('call.dequeued', {'call_id', cid, 'queue_id', call.queue_id, 'outcome', outcome,
    'wait_ms', wait}, at)
  emit('call.abandoned', {'call_id', cid, 'queue_id', call.queue_id, 'wait_ms', wait,
    'short', short and '1' or '0', 'reason', reason}, at)
  metric('dequeued', call.queue_id, outcome, wait)
  if not short then
    -- A follow-up task for every abandon that is not a short one.
    emit('missed_call.created', {'call_id', cid, 'queue_id', call.queue_id,
      'number', call.from_number or '', 'wait_ms', wait, 'task_id', missed_task_id(cid)}, at)
  end
  if aid ~= '' then
    local a = agent_get(aid)
    if a.state == 'reserved' and a.call_id == cid then
      set_agent(aid, 'available', 'caller_abandoned', '', true)
      match_agent(aid)
    end
  end
end

local function agent_failed(cid, call, reason)
  local aid = call.agent_id
  timer_del('ring|' .. cid .. '|' .. (call.attempt or ''))
  redis.call('ZREM', KOUTBOX, cid .. '|' .. (call.attempt or ''))
  emit('call.agent_failed', {'call_id', cid, 'queue_id', call.queue_id, 'agent_id', aid,
    'reason', reason})
  local a = agent_get(aid)
  if a.state == 'reserved' and a.call_id == cid then
    set_agent(aid, 'not_ready:missed', reason, cid)
  end
  requeue_front(cid, call)
  match_queue(call.queue_id)
end

local function leave_queue(cid, call, outcome)
  local wait = math.max(0, NOW - (tonumber(call.enq_ms) or NOW))
  redis.call('ZREM', kwait(call.queue_id), cid)
  timer_del(call.maxwait_timer)
  emit('call.dequeued', {'call_id', cid, 'queue_id', call.queue_id, 'outcome', outcome,
    'wait_ms', wait})
  metric('dequeued', call.queue_id, outcome, wait)
end

local function overflow(cid, call, target)
  leave_queue(cid, call, 'flowout')
  if call.sticky_agent and call.sticky_agent ~= '' then
    redis.call('ZREM', ksticky(call.sticky_agent), cid)
  end
  emit('call.overflowed', {'call_id', cid, 'queue_id', call.queue_id, 'target_queue_id', target})
  redis.call('HSET', kcall(cid), 'sticky_agent', '')
  enqueue_leg(cid, target)
end

-- The caller leaves a number and hangs up; the callback keeps the call's place in the queue
-- and, when an agent is reserved for it, routing dials the customer (the originator).
local function offer_callback(cid, call)
  leave_queue(cid, call, 'callback')
  emit('callback.requested', {'call_id', cid, 'queue_id', call.queue_id, 'number', call.from_number or ''})
  redis.call('RPUSH', KCALLBACKS, cjson.encode({call_id = cid, queue_id = call.queue_id,
    number = call.from_number or '', requested_ms = NOW}))
  redis.call('HSET', kcall(cid), 'callback', '1', 'callback_ms', fmt(NOW), 'maxwait_timer', '')
  release_to_node(cid, 480)
  redis.call('ZADD', kwait(call.queue_id), call.score, cid)
  match_queue(call.queue_id)
end

local function reject_waiting(cid, call, code, reason)
  leave_queue(cid, call, 'flowout')
  emit('call.rejected', {'call_id', cid, 'queue_id', call.queue_id, 'code', code, 'reason', reason})
  finish_call(cid, call, 'rejected', {'code', tostring(code), 'reason', reason})
  release_to_node(cid, code)
end

-- Ends a call routing knows the media plane no longer carries (its node was lost or
-- restarted, the node's dialogs lack it, it outlived the maximum duration): a waiting or
-- ringing call is abandoned, a connected one ends by ``system`` with ``reason``. A callback
-- waiting for an agent has no caller on the node any more and is left alone.
local function lose_call(cid, call, reason)
  local state = call.state
  if call.callback == '1' and state == 'queued' then
    if call.node and call.node ~= '' then redis.call('SREM', knode(call.node), cid) end
    return false
  end
  if state == 'queued' or state == 'reserved' then
    abandon(cid, call, NOW, reason)
  elseif state == 'connected' then
    end_call(cid, call, 'system', NOW, reason)
  else
    if call.node and call.node ~= '' then redis.call('SREM', knode(call.node), cid) end
    return false
  end
  redis.call('HSET', kcall(cid), 'lost_reason', reason)
  metric('lost', call.queue_id or '', reason)
  return true
end

local function result() return cjson.encode(OUT) end
