import { useState } from 'react';
import { useMutation } from 'urql';

import { useSession } from '../../../auth/session';
import { useServerAction } from '../../../forms/useServerAction';
import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { FormAlert } from '../../../ui/FormAlert';
import { requestDial } from './dialRequest';
import { AssignMissedCallMutation, CloseMissedCallMutation } from './operations';

export interface MissedCallRow {
  id: string;
  number: string;
  waitMs: number;
  assignee?: { id: string; email: string; displayName?: string | null } | null;
}

interface MissedCallItemProps {
  task: MissedCallRow;
  dispositions: readonly { id: string; code: string; label: string }[];
  onChanged: () => void;
}

/** One open follow-up: claim it, call the number back, close it with a disposition. */
export function MissedCallItem({ task, dispositions, onChanged }: MissedCallItemProps) {
  const t = useT();
  const { user } = useSession();
  const action = useServerAction();
  const [, assign] = useMutation(AssignMissedCallMutation);
  const [, close] = useMutation(CloseMissedCallMutation);
  const [code, setCode] = useState('');
  const [dialled, setDialled] = useState(false);
  const mine = task.assignee?.id === user.id;
  const someoneElse = task.assignee && !mine ? (task.assignee.displayName ?? task.assignee.email) : null;
  const claim = (then: () => void) =>
    mine ? then() : void action.run(() => assign({ id: task.id, assigneeId: user.id }), () => {
      onChanged();
      then();
    });
  const callBack = () =>
    claim(() => {
      requestDial({ number: task.number, taskId: task.id });
      setDialled(true);
    });
  const selectId = `close-${task.id}`;
  return (
    <li className="worklist-item">
      <div>
        <strong>{task.number}</strong> · {t('workLists.waited', { seconds: Math.round(task.waitMs / 1000) })}
        {someoneElse ? ` · ${t('workLists.claimedBy', { name: someoneElse })}` : mine ? ` · ${t('workLists.yours')}` : ''}
      </div>
      <div className="row-actions">
        {!task.assignee ? (
          <Button className="btn-small" busy={action.busy} onClick={() => claim(() => {})} aria-label={t('workLists.claimNumber', { number: task.number })}>
            {t('workLists.claim')}
          </Button>
        ) : null}
        {!someoneElse ? (
          <Button className="btn-small" variant="primary" busy={action.busy} onClick={callBack} aria-label={t('workLists.callBackNumber', { number: task.number })}>
            {t('workLists.callBack')}
          </Button>
        ) : null}
        <label htmlFor={selectId} className="visually-hidden">
          {t('workLists.closeWith', { number: task.number })}
        </label>
        <select id={selectId} className="input input-small" value={code} onChange={(event) => setCode(event.target.value)}>
          <option value="">{t('workLists.chooseDisposition')}</option>
          {dispositions.map((d) => (
            <option key={d.id} value={d.code}>
              {d.label}
            </option>
          ))}
        </select>
        <Button
          className="btn-small"
          busy={action.busy}
          disabled={!code || action.busy}
          onClick={() => void action.run(() => close({ id: task.id, disposition: code }), onChanged)}
          aria-label={t('workLists.closeNumber', { number: task.number })}
        >
          {t('workLists.close')}
        </Button>
      </div>
      {dialled ? <p role="status">{t('workLists.dialRequested', { number: task.number })}</p> : null}
      <FormAlert problem={action.problem} />
    </li>
  );
}
