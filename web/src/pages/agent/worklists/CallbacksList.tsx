import { useIntl } from 'react-intl';
import { useQuery, useSubscription } from 'urql';

import { graphql } from '../../../gql';
import { useT } from '../../../i18n/useT';

const PendingCallbacksQuery = graphql(`
  query AgentPendingCallbacks {
    pendingCallbacks {
      callId
      number
      queueName
      requestedAt
    }
  }
`);

const PendingCallbackChangesSubscription = graphql(`
  subscription AgentPendingCallbackChanges {
    pendingCallbackChanges {
      callId
      number
      queueName
      requestedAt
    }
  }
`);

/**
 * Callers who asked to be called back and keep their place in the agent's queues. Routing
 * dials them itself when it reserves an agent, so the list only shows what is coming; it
 * follows `pendingCallbackChanges` (the query answers until the first push).
 */
export function CallbacksList() {
  const t = useT();
  const intl = useIntl();
  const [{ data }] = useQuery({ query: PendingCallbacksQuery });
  const [pushed] = useSubscription({ query: PendingCallbackChangesSubscription });
  const callbacks = pushed.data?.pendingCallbackChanges ?? data?.pendingCallbacks ?? [];
  return (
    <section aria-labelledby="worklists-callbacks">
      <h3 id="worklists-callbacks">{t('workLists.callbacks', { count: callbacks.length })}</h3>
      {callbacks.length === 0 ? <p>{t('workLists.noCallbacks')}</p> : null}
      <ul className="worklist">
        {callbacks.map((c) => (
          <li key={c.callId} className="worklist-item">
            <div>
              <strong>{c.number}</strong>
              {c.queueName ? ` · ${c.queueName}` : ''}
              {c.requestedAt ? ` · ${t('workLists.requestedAt', { time: intl.formatTime(c.requestedAt) })}` : ''}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
