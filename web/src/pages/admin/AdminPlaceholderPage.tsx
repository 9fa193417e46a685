import type { MessageId } from '../../i18n/messages';
import { useT } from '../../i18n/useT';
import { PageHeader } from '../../ui/PageHeader';

export type PlaceholderPage =
  | 'users'
  | 'apiKeys'
  | 'queues'
  | 'phoneNumbers'
  | 'agents'
  | 'crm'
  | 'teams'
  | 'ticketCategories'
  | 'customers';

/** An admin page listed in the navigation whose screen is still to be built. */
export default function AdminPlaceholderPage({ page }: { page: PlaceholderPage }) {
  const t = useT();
  const title = t(`nav.admin.${page}` as MessageId);
  return (
    <section className="page">
      <PageHeader title={title} />
      <p>{t('placeholder.body', { page: title })}</p>
    </section>
  );
}
