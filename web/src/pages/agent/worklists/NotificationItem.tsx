import { useMutation } from 'urql';

import { useServerAction } from '../../../forms/useServerAction';
import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { FormAlert } from '../../../ui/FormAlert';
import { MarkNotificationReadMutation } from './operations';

export interface NotificationRow {
  id: string;
  title: string;
  body: string;
}

/** One unread notification (a ticket SLA reminder…) and "Mark read". */
export function NotificationItem({ note, onChanged }: { note: NotificationRow; onChanged: () => void }) {
  const t = useT();
  const action = useServerAction();
  const [, markRead] = useMutation(MarkNotificationReadMutation);
  return (
    <li className="worklist-item">
      <div>
        <strong>{note.title}</strong>
        {note.body ? <p>{note.body}</p> : null}
      </div>
      <Button
        className="btn-small"
        busy={action.busy}
        onClick={() => void action.run(() => markRead({ id: note.id }), onChanged)}
        aria-label={t('workLists.markReadTitle', { title: note.title })}
      >
        {t('workLists.markRead')}
      </Button>
      <FormAlert problem={action.problem} />
    </li>
  );
}
