import { useEffect, useState } from 'react';
import { Link } from 'react-router';

import { useT } from '../../i18n/useT';
import { Loading } from '../../ui/Loading';
import { QueryProblem } from '../../ui/QueryProblem';
import { QueueTileCard } from './wallboard/QueueTileCard';
import { useNow } from './wallboard/useNow';
import { useWallboard } from './wallboard/useWallboard';
import { tvPage } from './wallboard/wallboardState';

const TILES_PER_SCREEN = 6;
const ROTATE_MS = 15_000;

/** The wallboard for a wall screen: the whole viewport, large type, queues rotating by
 * screenfuls, no controls (a keyboard user finds one "leave" link first). */
export default function SupervisorTvPage() {
  const t = useT();
  const { state, error, retry } = useWallboard();
  const nowMs = useNow();
  const [screen, setScreen] = useState(0);
  useEffect(() => {
    const timer = window.setInterval(() => setScreen((n) => n + 1), ROTATE_MS);
    return () => window.clearInterval(timer);
  }, []);
  useEffect(() => {
    document.title = t('app.documentTitle', { page: t('supervisor.tv.title') });
  }, [t]);
  const pages = Math.max(1, Math.ceil(state.queues.length / TILES_PER_SCREEN));
  const shown = tvPage(state.queues, TILES_PER_SCREEN, screen);

  return (
    <main id="main" className="tv" tabIndex={-1}>
      <Link className="skip-link" to="/supervisor">
        {t('supervisor.tv.exit')}
      </Link>
      <header className="tv-header">
        <h1>{t('supervisor.tv.title')}</h1>
        {pages > 1 ? <p>{t('supervisor.tv.page', { page: (screen % pages) + 1, pages })}</p> : null}
      </header>
      {error ? <QueryProblem error={error} retry={retry} /> : null}
      {!state.loaded && !error ? <Loading label={t('supervisor.loading')} /> : null}
      {state.loaded && state.queues.length === 0 ? <p>{t('supervisor.queues.empty')}</p> : null}
      <div className="queue-tiles tv-tiles">
        {shown.map((tile) => (
          <QueueTileCard key={tile.id} tile={tile} agents={state.agents} nowMs={nowMs} large />
        ))}
      </div>
    </main>
  );
}
