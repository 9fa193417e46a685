import { useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';

import { useServerAction } from '../../../forms/useServerAction';
import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { Dialog } from '../../../ui/Dialog';
import { FormAlert } from '../../../ui/FormAlert';
import { FormField } from '../../../ui/FormField';
import { StatusMessage } from '../../../ui/StatusMessage';
import { agentName } from './AgentGrid';
import { SetAgentStateMutation, SignInToQueueMutation, SignOutOfQueueMutation, WallboardBreakReasonsQuery } from './operations';
import { stateLabel } from './stateLabel';
import type { AgentRow, AgentStatusIn, QueueTile } from './wallboardState';

interface ManageAgentDialogProps {
  /** The agent as the board shows it now (it follows live changes while open). */
  agent: AgentRow | null;
  queues: readonly QueueTile[];
  onClose: () => void;
  /** The server's answer: the agent's status after the change. */
  onAnswered: (status: AgentStatusIn) => void;
  /** The server refused the role (FORBIDDEN). */
  onForbidden: () => void;
}

function reasonOf(name: string): string {
  return name.startsWith('break:') ? name.slice('break:'.length) : name;
}

/** A supervisor sets an agent's state, and signs it in to or out of queues. */
export function ManageAgentDialog({ agent, queues, onClose, onAnswered, onForbidden }: ManageAgentDialogProps) {
  const t = useT();
  const [choice, setChoice] = useState('available');
  const [done, setDone] = useState<string | null>(null);
  const [reasons] = useQuery({ query: WallboardBreakReasonsQuery, pause: agent === null });
  const [, setState] = useMutation(SetAgentStateMutation);
  const [, signIn] = useMutation(SignInToQueueMutation);
  const [, signOut] = useMutation(SignOutOfQueueMutation);
  const action = useServerAction();
  const forbidden = action.problem?.kind === 'forbidden';
  useEffect(() => {
    if (forbidden) onForbidden();
  }, [forbidden, onForbidden]);

  const close = () => {
    action.clear();
    setDone(null);
    onClose();
  };
  if (!agent) return null;
  const name = agentName(agent, t('supervisor.unnamed'));
  const options = [
    { value: 'available', label: t('supervisor.state.available') },
    { value: 'offline', label: t('supervisor.state.offline') },
    ...(reasons.data?.breakReasons ?? []).map((r) => ({ value: `break:${reasonOf(r.name)}`, label: t('supervisor.manage.breakFor', { reason: reasonOf(r.name) }) })),
  ];

  const applyState = () => {
    setDone(null);
    const [state, reason] = choice.startsWith('break:') ? ['break', choice.slice('break:'.length)] : [choice, null];
    void action.run(
      () => setState({ input: { agentId: agent.agentId, state, reason } }),
      (data) => {
        onAnswered(data.setAgentState);
        setDone(t('supervisor.manage.stateSet', { name, state: stateLabel(t, data.setAgentState.state) }));
      },
    );
  };
  const membership = (queue: QueueTile, signedIn: boolean) => {
    setDone(null);
    const input = { agentId: agent.agentId, queueId: queue.id };
    if (signedIn) {
      void action.run(
        () => signOut({ input }),
        (data) => {
          onAnswered(data.signOutOfQueue);
          setDone(t('supervisor.manage.signedOutOf', { name, queue: queue.name }));
        },
      );
    } else {
      void action.run(
        () => signIn({ input }),
        (data) => {
          onAnswered(data.signInToQueue);
          setDone(t('supervisor.manage.signedInTo', { name, queue: queue.name }));
        },
      );
    }
  };

  return (
    <Dialog title={t('supervisor.manage.title', { name })} isOpen onClose={close}>
      <div className="dialog-body manage-agent">
        <p>
          {t('supervisor.agents.state')}: <strong>{stateLabel(t, agent.state)}</strong>
        </p>
        <div className="manage-agent-state">
          <FormField label={t('supervisor.manage.newState')}>
            {(control) => (
              <select className="input" {...control} value={choice} onChange={(e) => setChoice(e.target.value)}>
                {options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <Button variant="primary" busy={action.busy} onClick={applyState}>
            {t('supervisor.manage.setState')}
          </Button>
        </div>
        <h3>{t('supervisor.manage.queues')}</h3>
        <ul className="manage-agent-queues">
          {queues.map((queue) => {
            const signedIn = agent.queueIds.includes(queue.id);
            return (
              <li key={queue.id}>
                <span>
                  {queue.name}: {signedIn ? t('supervisor.manage.signedIn') : t('supervisor.manage.notSignedIn')}
                </span>
                <Button className="btn-small" busy={action.busy} onClick={() => membership(queue, signedIn)}>
                  {signedIn ? t('supervisor.manage.signOut', { queue: queue.name }) : t('supervisor.manage.signIn', { queue: queue.name })}
                </Button>
              </li>
            );
          })}
        </ul>
        <FormAlert problem={action.problem} />
        <StatusMessage message={done} />
      </div>
      <div className="dialog-actions">
        <Button variant="secondary" onClick={close}>
          {t('supervisor.manage.close')}
        </Button>
      </div>
    </Dialog>
  );
}
