import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useMutation } from 'urql';

import { useT } from '../../i18n/useT';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { QueryProblem } from '../../ui/QueryProblem';
import { StatusMessage } from '../../ui/StatusMessage';
import { listenIsFree } from './listen/listenController';
import { ListenPanel } from './listen/ListenPanel';
import { listenTargetOf } from './listen/listenTarget';
import { useListen } from './listen/useListen';
import { AgentGrid, agentName } from './wallboard/AgentGrid';
import { ManageAgentDialog } from './wallboard/ManageAgentDialog';
import { HangUpCallMutation } from './wallboard/operations';
import { QueueTileCard } from './wallboard/QueueTileCard';
import { useNow } from './wallboard/useNow';
import { useWallboard } from './wallboard/useWallboard';
import type { AgentRow, AgentStatusIn } from './wallboard/wallboardState';

/** The live wallboard: a tile per queue and the agent grid, moved by `liveChanges`. */
export default function SupervisorPage() {
  const t = useT();
  const { state, dispatch, error, retry } = useWallboard();
  const nowMs = useNow();
  const [managing, setManaging] = useState<string | null>(null);
  const [hangingUp, setHangingUp] = useState<AgentRow | null>(null);
  const [mayAct, setMayAct] = useState(true);
  const [done, setDone] = useState<string | null>(null);
  const [, hangUp] = useMutation(HangUpCallMutation);
  const listen = useListen();
  const listened = listen.state.phase === 'listening' ? listen.state.target?.callId : undefined;
  const callGone = listened !== undefined && state.loaded && !state.agents.some((a) => a.callId === listened);
  useEffect(() => {
    if (callGone) void listen.controller.stop(); // the call ended: hang up the listen leg too
  }, [callGone, listen.controller]);
  const listenTo = (a: AgentRow) => void listen.controller.start(listenTargetOf(a, agentName(a, t('supervisor.unnamed'))));

  const answered = useCallback((status: AgentStatusIn) => dispatch({ type: 'agentAnswered', atMs: Date.now(), status }), [dispatch]);
  const forbidden = useCallback(() => setMayAct(false), []);
  const managed = state.agents.find((a) => a.agentId === managing) ?? null;

  return (
    <section className="page wallboard">
      <PageHeader
        title={t('supervisor.title')}
        intro={t('supervisor.intro')}
        actions={
          <Link className="btn btn-secondary" to="/supervisor/tv">
            {t('supervisor.tvMode')}
          </Link>
        }
      />
      {error ? <QueryProblem error={error} retry={retry} /> : null}
      {!state.loaded && !error ? <Loading label={t('supervisor.loading')} /> : null}
      {state.loaded ? (
        <>
          <h2>{t('supervisor.queues.heading')}</h2>
          {state.queues.length === 0 ? <p>{t('supervisor.queues.empty')}</p> : null}
          <div className="queue-tiles">
            {state.queues.map((tile) => (
              <QueueTileCard key={tile.id} tile={tile} agents={state.agents} nowMs={nowMs} />
            ))}
          </div>
          <h2>{t('supervisor.agents.heading')}</h2>
          {!mayAct ? <p className="alert alert-warning">{t('supervisor.forbidden')}</p> : null}
          <StatusMessage message={done} />
          <ListenPanel state={listen.state} onStop={() => void listen.controller.stop()} />
          <AgentGrid
            agents={state.agents}
            queues={state.queues}
            nowMs={nowMs}
            onManage={mayAct ? (a) => setManaging(a.agentId) : null}
            onHangUp={mayAct ? (a) => setHangingUp(a) : null}
            onListen={mayAct && listenIsFree(listen.state) ? listenTo : null}
          />
        </>
      ) : null}
      <ManageAgentDialog agent={managed} queues={state.queues} onClose={() => setManaging(null)} onAnswered={answered} onForbidden={forbidden} />
      {hangingUp?.callId ? (
        <ConfirmDialog
          title={t('supervisor.hangUp.title')}
          confirmLabel={t('supervisor.hangUp.confirm')}
          isOpen
          onClose={() => setHangingUp(null)}
          send={() => hangUp({ callId: hangingUp.callId ?? '' })}
          onDone={() => setDone(t('supervisor.hangUp.done', { number: hangingUp.call?.from ?? hangingUp.callId ?? '' }))}
        >
          {t('supervisor.hangUp.body', { name: agentName(hangingUp, t('supervisor.unnamed')), number: hangingUp.call?.from ?? hangingUp.callId })}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
