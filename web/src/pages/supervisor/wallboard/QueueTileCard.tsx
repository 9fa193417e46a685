import { useEffect } from 'react';
import { useIntl } from 'react-intl';
import { useQuery } from 'urql';

import { useSession } from '../../../auth/session';
import { useT } from '../../../i18n/useT';
import { formatDuration } from './duration';
import { WallboardTodayQuery } from './operations';
import { ABANDON_LIMIT, SL_TARGET, STATE_FAMILIES, agentsByState, longestWait, tileHealth, type AgentRow, type QueueTile } from './wallboardState';

/** A figure that is on or off target: the colour is never the only sign (an icon and words). */
function Judged({ off, offText, onText }: { off: boolean; offText: string; onText: string }) {
  return (
    <span className={off ? 'judged judged-off' : 'judged judged-on'}>
      <span aria-hidden="true">{off ? '▲ ' : '✓ '}</span>
      {off ? offText : onText}
    </span>
  );
}

interface QueueTileCardProps {
  tile: QueueTile;
  agents: readonly AgentRow[];
  nowMs: number;
  /** Large type, for the TV. */
  large?: boolean;
}

/** One queue: waiting now, longest wait (ticking), SL and abandonment today, agents by state. */
export function QueueTileCard({ tile, agents, nowMs, large = false }: QueueTileCardProps) {
  const t = useT();
  const intl = useIntl();
  const { tenant } = useSession();
  const [today, reread] = useQuery({ query: WallboardTodayQuery, variables: { queueId: tile.id, timeZone: tenant.timeZone } });
  // Today's figures move only when a call leaves the queue: read them again then.
  useEffect(() => {
    if (tile.departures > 0) reread({ requestPolicy: 'network-only' });
  }, [tile.departures, reread]);

  const figures = today.data?.realtime.today ?? null;
  const health = tileHealth(tile, figures, agents, nowMs);
  const off = health.waitOver || health.slBelow || health.abandonOver || health.unstaffed;
  const counts = agentsByState(agents, tile.id);
  const percent = (value: number) => intl.formatNumber(value, { style: 'percent', maximumFractionDigits: 0 });
  const headingId = `queue-${tile.id}`;

  return (
    <article className={['queue-tile', off ? 'queue-tile-off' : '', large ? 'queue-tile-large' : ''].filter(Boolean).join(' ')} aria-labelledby={headingId}>
      <header className="queue-tile-header">
        <h3 id={headingId}>{tile.name}</h3>
        <span className={off ? 'tile-badge tile-badge-off' : 'tile-badge tile-badge-on'}>
          <span aria-hidden="true">{off ? '▲ ' : '✓ '}</span>
          {off ? t('supervisor.tile.offTarget') : t('supervisor.tile.onTarget')}
        </span>
      </header>
      <dl className="queue-tile-figures">
        <div>
          <dt>{t('supervisor.tile.waiting')}</dt>
          <dd className="figure">{intl.formatNumber(tile.waiting)}</dd>
          {health.unstaffed ? <dd className="judged judged-off">{t('supervisor.tile.unstaffed')}</dd> : null}
        </div>
        <div>
          <dt>{t('supervisor.tile.longestWait')}</dt>
          <dd className="figure">{formatDuration(longestWait(tile, nowMs))}</dd>
          <dd>
            <Judged off={health.waitOver} offText={t('supervisor.tile.overT', { seconds: tile.slThresholdS })} onText={t('supervisor.tile.withinT', { seconds: tile.slThresholdS })} />
          </dd>
        </div>
        <div>
          <dt>{t('supervisor.tile.serviceLevel')}</dt>
          <dd className="figure">{figures?.serviceLevel != null ? percent(figures.serviceLevel) : '–'}</dd>
          <dd>
            {figures?.serviceLevel != null ? (
              <Judged off={health.slBelow} offText={t('supervisor.tile.slBelow', { target: percent(SL_TARGET) })} onText={t('supervisor.tile.slMet', { target: percent(SL_TARGET) })} />
            ) : (
              t('supervisor.tile.noCalls')
            )}
          </dd>
        </div>
        <div>
          <dt>{t('supervisor.tile.abandonment')}</dt>
          <dd className="figure">{figures?.abandonmentRate != null ? percent(figures.abandonmentRate) : '–'}</dd>
          <dd>
            {figures && figures.offered > 0 ? (
              <>
                <Judged off={health.abandonOver} offText={t('supervisor.tile.abandonOver', { limit: percent(ABANDON_LIMIT) })} onText={t('supervisor.tile.abandonOk', { limit: percent(ABANDON_LIMIT) })} />{' '}
                {t('supervisor.tile.calls', { abandoned: figures.abandoned, offered: figures.offered })}
              </>
            ) : (
              t('supervisor.tile.noCalls')
            )}
          </dd>
        </div>
      </dl>
      <dl className="queue-tile-states" aria-label={t('supervisor.tile.agents')}>
        {STATE_FAMILIES.map((family) => (
          <div key={family} className={`state-count state-${family}`}>
            <dt>{t(`supervisor.state.${family}`)}</dt>
            <dd>{intl.formatNumber(counts[family] ?? 0)}</dd>
          </div>
        ))}
      </dl>
    </article>
  );
}
