import { useT } from '../../../i18n/useT';
import type { CallQuality } from '../../../softphone/quality';

/** Loss, jitter and round trip of the call, with a grade in words (not colour alone). */
export function CallQualityReadout({ quality, level }: { quality: CallQuality | null; level: number }) {
  const t = useT();
  return (
    <div className="agent-quality">
      <div className="field">
        <span className="field-label" id="mic-level-label">
          {t('agent.phone.micLevel')}
        </span>
        <meter aria-labelledby="mic-level-label" min={0} max={1} value={level} className="agent-meter" />
      </div>
      {quality ? (
        <dl className="agent-quality-figures" aria-label={t('agent.phone.quality')}>
          <dt>{t('agent.phone.quality')}</dt>
          <dd data-testid="call-quality">{t(`agent.phone.grade.${quality.grade}`)}</dd>
          <dt>{t('agent.phone.loss')}</dt>
          <dd>{quality.lossPercent.toFixed(1)} %</dd>
          <dt>{t('agent.phone.jitter')}</dt>
          <dd>{Math.round(quality.jitterMs)} ms</dd>
          <dt>{t('agent.phone.rtt')}</dt>
          <dd>{quality.rttMs === null ? '–' : `${Math.round(quality.rttMs)} ms`}</dd>
          <dt>{t('agent.phone.packets')}</dt>
          <dd data-testid="call-packets">
            {quality.packetsReceived} / {quality.packetsSent}
          </dd>
        </dl>
      ) : null}
    </div>
  );
}
