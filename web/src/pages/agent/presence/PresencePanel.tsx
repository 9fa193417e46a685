import { useEffect, useState } from 'react';

import { useT } from '../../../i18n/useT';
import { FormAlert } from '../../../ui/FormAlert';
import { formatDuration } from '../../../softphone/useSoftphone';
import { stateLabel } from '../../supervisor/wallboard/stateLabel';
import type { Presence } from './usePresence';

/** States the agent may choose; the others (ringing, on a call, ACW, missed) routing sets. */
export function choosableStates(breakReasons: readonly string[]): string[] {
  return ['available', ...breakReasons.map((reason) => `break:${reason}`), 'offline'];
}

function useSecondsSince(start: number, offset: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return Math.max(0, Math.floor(offset + (now - start) / 1000));
}

/** The agent's state (as routing has it), time in it, and the queues it is signed in to. */
export function PresencePanel({ presence }: { presence: Presence }) {
  const t = useT();
  const { status, queues, breakReasons, action } = presence;
  const seconds = useSecondsSince(presence.readAt, status?.secondsInState ?? 0);
  if (presence.noProfile) {
    return (
      <section className="agent-panel" aria-labelledby="presence-heading">
        <h2 id="presence-heading">{t('agent.presence.title')}</h2>
        <p role="alert">{t('agent.presence.noProfile')}</p>
      </section>
    );
  }
  const state = status?.state ?? 'offline';
  const options = choosableStates(breakReasons);
  const choosable = options.includes(state);
  return (
    <section className="agent-panel" aria-labelledby="presence-heading">
      <h2 id="presence-heading">{t('agent.presence.title')}</h2>
      <p className="agent-state-line">
        <span className={`agent-state agent-state-${state.split(':')[0] ?? state}`} data-testid="agent-state">
          {stateLabel(t, state)}
        </span>{' '}
        <span aria-label={t('agent.presence.timeInState')}>{formatDuration(seconds)}</span>
      </p>
      {state === 'not_ready:missed' ? (
        <p className="agent-missed" role="alert">
          {t('agent.presence.missed')}
        </p>
      ) : null}
      <div className="field">
        <label className="field-label" htmlFor="agent-state-select">
          {t('agent.presence.choose')}
        </label>
        <select
          id="agent-state-select"
          className="input"
          value={state}
          disabled={!status || action.busy}
          aria-busy={action.busy || undefined}
          onChange={(event) => presence.setState(event.target.value)}
        >
          {choosable ? null : (
            <option value={state} disabled>
              {stateLabel(t, state)}
            </option>
          )}
          {options.map((option) => (
            <option key={option} value={option}>
              {stateLabel(t, option)}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="agent-queues">
        <legend>{t('agent.presence.queues')}</legend>
        {queues.length === 0 ? <p>{t('agent.presence.noQueues')}</p> : null}
        {queues.map((queue) => (
          <label key={queue.id} className="checkbox-label">
            <input
              type="checkbox"
              checked={status?.queueIds.includes(queue.id) ?? false}
              disabled={!status || action.busy}
              onChange={(event) => presence.setQueue(queue.id, event.target.checked)}
            />{' '}
            {queue.name}
          </label>
        ))}
      </fieldset>
      <FormAlert problem={action.problem} />
    </section>
  );
}
