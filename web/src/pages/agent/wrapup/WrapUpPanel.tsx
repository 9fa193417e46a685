import type { MessageId } from '../../../i18n/messages';
import { useT } from '../../../i18n/useT';
import { QueryProblem } from '../../../ui/QueryProblem';
import { AcwCountdown } from './AcwCountdown';
import { useWrapUp } from './useWrapUp';
import { WrapUpForm } from './WrapUpForm';
import './wrapup.css';

const NAMED_STATES = new Set(['acw', 'on_contact', 'available', 'offline']);

function stateLabel(state: string, t: ReturnType<typeof useT>): string {
  return NAMED_STATES.has(state) ? t(`wrapUp.state.${state}` as MessageId) : state;
}

/**
 * After a call: the ACW countdown, the disposition and note, "finish early". It appears
 * while routing holds the agent in ACW (or on a call, to choose the code early) and says
 * only what routing said: the state line is routing's state, never a guess.
 */
export function WrapUpPanel() {
  const t = useT();
  const { status, dispositions, error, refresh, answer } = useWrapUp();
  if (error && !status) return <QueryProblem error={error} retry={refresh} />;
  if (!status?.callId || (status.state !== 'acw' && status.state !== 'on_contact')) return null;
  const caller = status.call?.customerName ?? status.call?.from ?? null;
  return (
    <section className="agent-panel" aria-labelledby="wrapup-title">
      <h2 id="wrapup-title">{t('wrapUp.title')}</h2>
      <p>{caller ? t('wrapUp.callWith', { caller }) : t('wrapUp.callUnknown')}</p>
      <p role="status" aria-label={t('wrapUp.routingState')}>
        {t('wrapUp.routingSays', { state: stateLabel(status.state, t) })}
        {status.disposition ? ` ${t('wrapUp.recorded', { label: status.disposition.label })}` : ''}
      </p>
      {status.state === 'acw' ? (
        <AcwCountdown endsAt={status.endsAt} overdue={status.overdue} requireDisposition={status.requireDisposition} />
      ) : null}
      {status.requireDisposition ? <p>{t('wrapUp.required')}</p> : null}
      <WrapUpForm key={status.callId} callId={status.callId} dispositions={dispositions} onAnswer={answer} />
    </section>
  );
}
