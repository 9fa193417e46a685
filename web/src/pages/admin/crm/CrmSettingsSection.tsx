import { useMemo, useState } from 'react';
import { useIntl } from 'react-intl';
import { useMutation, useQuery } from 'urql';
import { z } from 'zod';

import { phoneRegionOptions } from '../../../data/phoneRegions';
import { useServerForm } from '../../../forms/useServerForm';
import { graphql } from '../../../gql';
import { useT } from '../../../i18n/useT';
import { FormActions } from '../../../ui/FormActions';
import { FormAlert } from '../../../ui/FormAlert';
import { Loading } from '../../../ui/Loading';
import { QueryProblem } from '../../../ui/QueryProblem';
import { SelectField } from '../../../ui/SelectField';
import { StatusMessage } from '../../../ui/StatusMessage';

const AdminCrmSettingsQuery = graphql(`
  query AdminCrmSettings {
    crmSettings {
      defaultRegion
    }
  }
`);

const UpdateCrmSettingsMutation = graphql(`
  mutation UpdateCrmSettings($defaultRegion: String!) {
    updateCrmSettings(defaultRegion: $defaultRegion) {
      defaultRegion
    }
  }
`);

/** The tenant's CRM settings: the region a phone number typed without +<country code> is read in. */
export function CrmSettingsSection() {
  const t = useT();
  const [result, reexecute] = useQuery({ query: AdminCrmSettingsQuery, requestPolicy: 'network-only' });
  return (
    <section className="page-section" aria-labelledby="crm-settings-title">
      <h2 id="crm-settings-title">{t('admin.crm.settings.title')}</h2>
      {result.error ? <QueryProblem error={result.error} retry={() => reexecute({ requestPolicy: 'network-only' })} /> : null}
      {result.data ? (
        <CrmSettingsForm defaultRegion={result.data.crmSettings.defaultRegion} />
      ) : result.fetching ? (
        <Loading />
      ) : null}
    </section>
  );
}

/** Exported for its component test. */
export function CrmSettingsForm({ defaultRegion }: { defaultRegion: string }) {
  const t = useT();
  const intl = useIntl();
  const [saved, setSaved] = useState<string | null>(null);
  const [, save] = useMutation(UpdateCrmSettingsMutation);
  const regions = useMemo(() => phoneRegionOptions(intl.locale, defaultRegion), [intl.locale, defaultRegion]);
  const schema = useMemo(() => z.object({ defaultRegion: z.string().min(2, t('validation.required')) }), [t]);
  const { form, problem, busy, handleSubmit } = useServerForm({ schema, defaultValues: { defaultRegion } });
  const onSubmit = handleSubmit(
    (values) => {
      setSaved(null);
      return save(values);
    },
    () => setSaved(t('admin.crm.settings.saved')),
  );
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <SelectField
        form={form}
        name="defaultRegion"
        label={t('admin.crm.settings.defaultRegion')}
        hint={t('admin.crm.settings.defaultRegionHint')}
        options={regions}
        required
      />
      <FormAlert problem={problem} />
      <StatusMessage message={saved} />
      <FormActions busy={busy} />
    </form>
  );
}
