import { useT } from '../../i18n/useT';
import { PageHeader } from '../../ui/PageHeader';
import { RecordingsBrowser } from './recordings/RecordingsBrowser';

/** The tenant's call recordings: search, play with the two parties apart, download. */
export default function RecordingsPage() {
  const t = useT();
  return (
    <section className="page recordings-page">
      <PageHeader title={t('recordings.title')} intro={t('recordings.intro')} />
      <RecordingsBrowser own={false} />
    </section>
  );
}
