import { useT } from '../../../i18n/useT';
import { QueryProblem } from '../../../ui/QueryProblem';
import '../wrapup/wrapup.css';
import { CallbacksList } from './CallbacksList';
import { MissedCallItem } from './MissedCallItem';
import { NotificationItem } from './NotificationItem';
import { useWorkLists } from './useWorkLists';
import './worklists.css';

/** The agent's work lists, live: missed-call follow-ups, callbacks, unread notifications. */
export function WorkListsPanel() {
  const t = useT();
  const lists = useWorkLists();
  return (
    <section className="agent-panel" aria-labelledby="worklists-title">
      <h2 id="worklists-title">{t('workLists.title')}</h2>
      <section aria-labelledby="worklists-missed">
        <h3 id="worklists-missed">{t('workLists.missedCalls', { count: lists.missedCalls.length })}</h3>
        {lists.missedError ? <QueryProblem error={lists.missedError} retry={lists.refreshMissed} /> : null}
        {lists.missedCalls.length === 0 ? <p>{t('workLists.noMissedCalls')}</p> : null}
        <ul className="worklist">
          {lists.missedCalls.map((task) => (
            <MissedCallItem key={task.id} task={task} dispositions={lists.dispositions} onChanged={lists.refreshMissed} />
          ))}
        </ul>
      </section>
      <CallbacksList />
      <section aria-labelledby="worklists-notes">
        <h3 id="worklists-notes">{t('workLists.notifications', { count: lists.notifications.length })}</h3>
        {lists.notesError ? <QueryProblem error={lists.notesError} retry={lists.refreshNotes} /> : null}
        {lists.notifications.length === 0 ? <p>{t('workLists.noNotifications')}</p> : null}
        <ul className="worklist">
          {lists.notifications.map((note) => (
            <NotificationItem key={note.id} note={note} onChanged={lists.refreshNotes} />
          ))}
        </ul>
      </section>
    </section>
  );
}
