import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { StatusMessage } from '../../../ui/StatusMessage';
import type { ListenState } from './listenController';
import './listen.css';

interface ListenPanelProps {
  state: ListenState;
  onStop: () => void;
}

/** What the supervisor's listen-in is doing: joining, listening (with Stop), ended, failed. */
export function ListenPanel({ state, onStop }: ListenPanelProps) {
  const t = useT();
  const { phase, target, error } = state;
  if (!target || phase === 'idle') return <StatusMessage message={null} />;
  const who = { agent: target.agent, number: target.number };
  if (phase === 'ended') return <StatusMessage message={t('supervisor.listen.ended', who)} />;
  if (phase === 'failed') {
    return (
      <p role="alert" className="alert alert-error">
        {t('supervisor.listen.failed', { ...who, error: error ?? '' })}
      </p>
    );
  }
  const live = phase === 'listening' || phase === 'stopping';
  return (
    <section className="listen-panel" aria-label={t('supervisor.listen.region')}>
      <p role="status">
        <strong>{live ? t('supervisor.listen.listening', who) : t(phase === 'registering' ? 'supervisor.listen.registering' : 'supervisor.listen.connecting', who)}</strong>
      </p>
      {live ? <p className="field-hint">{t('supervisor.listen.hint')}</p> : null}
      <Button variant="danger" busy={phase === 'stopping'} onClick={onStop}>
        {t('supervisor.listen.stop')}
      </Button>
    </section>
  );
}
