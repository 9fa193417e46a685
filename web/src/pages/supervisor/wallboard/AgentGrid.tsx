import { useId } from 'react';

import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { DataTable, type Column } from '../../../ui/DataTable';
import { UNAVAILABLE_MONITOR_MODES } from '../listen/monitorModes';
import { formatDuration } from './duration';
import { stateLabel } from './stateLabel';
import { secondsSince, stateFamily, talkSeconds, type AgentRow, type QueueTile } from './wallboardState';

interface AgentGridProps {
  agents: readonly AgentRow[];
  queues: readonly QueueTile[];
  nowMs: number;
  /** Null: the role may not act (the server said FORBIDDEN), so no action is offered. */
  onManage: ((agent: AgentRow) => void) | null;
  onHangUp: ((agent: AgentRow) => void) | null;
  /** Listen in on the agent's answered call; null while a listen is already running. */
  onListen: ((agent: AgentRow) => void) | null;
}

export function agentName(agent: AgentRow, unnamed: string): string {
  return agent.displayName ?? unnamed;
}

/** Every agent: state, time in it, the current call, the queues signed in, and actions. */
export function AgentGrid({ agents, queues, nowMs, onManage, onHangUp, onListen }: AgentGridProps) {
  const t = useT();
  const monitorNote = useId();
  const queueName = new Map(queues.map((q) => [q.id, q.name]));
  const names = (ids: readonly string[]) => ids.map((id) => queueName.get(id)).filter(Boolean).join(', ');
  const columns: Column<AgentRow>[] = [
    { header: t('supervisor.agents.agent'), isRowHeader: true, cell: (a) => agentName(a, t('supervisor.unnamed')) },
    {
      header: t('supervisor.agents.state'),
      cell: (a) => <span className={`state-pill state-${stateFamily(a.state)}`}>{stateLabel(t, a.state)}</span>,
    },
    { header: t('supervisor.agents.timeInState'), cell: (a) => <span className="tabular">{formatDuration(secondsSince(a.sinceMs, nowMs))}</span> },
    {
      header: t('supervisor.agents.call'),
      cell: (a) => {
        if (!a.call) return a.callId ? <span className="tabular">{a.callId}</span> : <span className="muted">{t('supervisor.agents.noCall')}</span>;
        const talk = talkSeconds(a, nowMs);
        return (
          <span className="call-cell">
            <span className="tabular">{a.call.from}</span>
            <span>{a.call.customerName ?? t('supervisor.agents.unknownCaller')}</span>
            {a.call.queueId ? <span>{queueName.get(a.call.queueId) ?? ''}</span> : null}
            <span className="tabular">{talk === null ? t('supervisor.agents.ringing') : t('supervisor.agents.talk', { time: formatDuration(talk) })}</span>
          </span>
        );
      },
    },
    { header: t('supervisor.agents.queues'), cell: (a) => names(a.queueIds) || <span className="muted">{t('supervisor.agents.noQueues')}</span> },
  ];
  if (onManage || onHangUp) {
    columns.push({
      header: t('supervisor.agents.actions'),
      cell: (a) => (
        <div className="row-actions">
          {onManage ? (
            <Button className="btn-small" onClick={() => onManage(a)}>
              {t('supervisor.agents.manage')}
            </Button>
          ) : null}
          {onHangUp && a.callId ? (
            <>
              <Button className="btn-small" variant="danger" onClick={() => onHangUp(a)}>
                {t('supervisor.agents.hangUp')}
              </Button>
              <Button
                className="btn-small"
                disabled={!onListen || a.call?.answeredMs === null}
                aria-describedby={a.call?.answeredMs === null ? `${monitorNote}-listen` : undefined}
                onClick={() => onListen?.(a)}
              >
                {t('supervisor.agents.listen')}
              </Button>
              {UNAVAILABLE_MONITOR_MODES.map((m) => (
                <Button key={m.mode} className="btn-small" disabled aria-describedby={`${monitorNote}-${m.mode}`}>
                  {t(m.label)}
                </Button>
              ))}
            </>
          ) : null}
        </div>
      ),
    });
  }
  return (
    <>
      <DataTable caption={t('supervisor.agents.caption')} rows={agents} columns={columns} rowKey={(a) => a.agentId} empty={t('supervisor.agents.empty')} />
      {onHangUp ? (
        <ul className="field-hint monitor-notes">
          <li id={`${monitorNote}-listen`}>{t('supervisor.listen.afterAnswer')}</li>
          {UNAVAILABLE_MONITOR_MODES.map((m) => (
            <li key={m.mode} id={`${monitorNote}-${m.mode}`}>
              {t(m.reason)}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
