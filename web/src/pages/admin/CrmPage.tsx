import { useT } from '../../i18n/useT';
import { PageHeader } from '../../ui/PageHeader';
import { CrmSettingsSection } from './crm/CrmSettingsSection';
import { CustomerCategoriesSection } from './crm/CustomerCategoriesSection';
import { CustomFieldsSection } from './crm/CustomFieldsSection';

/**
 * The tenant's CRM configuration on one page, one section each: the settings (the default
 * phone region), the customers' custom fields, and the customer categories.
 */
export default function CrmPage() {
  const t = useT();
  return (
    <section className="page">
      <PageHeader title={t('admin.crm.title')} intro={t('admin.crm.intro')} />
      <CrmSettingsSection />
      <CustomFieldsSection />
      <CustomerCategoriesSection />
    </section>
  );
}
