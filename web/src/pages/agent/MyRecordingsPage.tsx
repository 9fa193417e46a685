import { useT } from '../../i18n/useT';
import { RecordingsBrowser } from '../supervisor/recordings/RecordingsBrowser';
import { PageHeader } from '../../ui/PageHeader';

/** An agent's own calls' recordings (playable while the tenant allows it). */
export default function MyRecordingsPage() {
  const t = useT();
  return (
    <section className="page recordings-page">
      <PageHeader title={t('recordings.mine.title')} intro={t('recordings.mine.intro')} />
      <RecordingsBrowser own />
    </section>
  );
}
