import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { z } from 'zod';

import { useServerForm } from '../../forms/useServerForm';
import { graphql } from '../../gql';
import { useT } from '../../i18n/useT';
import { FormActions } from '../../ui/FormActions';
import { FormAlert } from '../../ui/FormAlert';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { QueryProblem } from '../../ui/QueryProblem';
import { SelectField } from '../../ui/SelectField';
import { StatusMessage } from '../../ui/StatusMessage';
import { TextField } from '../../ui/TextField';

// The tenant's time zone is the one its reports follow (reportTimeZone), which is also the
// zone the console shows dates in.
const TenantSettingsQuery = graphql(`
  query TenantSettings {
    tenant {
      id
      name
      slug
    }
    reportTimeZone
    routingSettings {
      maxConcurrentCalls
    }
  }
`);

// One request, so one server transaction: the three changes are saved together or not at all.
const SaveTenantSettingsMutation = graphql(`
  mutation SaveTenantSettings($tenant: UpdateTenantInput!, $timeZone: String!, $routing: UpdateRoutingSettingsInput!) {
    updateTenant(input: $tenant) {
      id
      name
    }
    setReportTimeZone(timeZone: $timeZone)
    updateRoutingSettings(input: $routing) {
      maxConcurrentCalls
    }
  }
`);

export default function SettingsPage() {
  const t = useT();
  const [result, reexecute] = useQuery({ query: TenantSettingsQuery, requestPolicy: 'network-only' });
  const data = result.data;
  return (
    <section className="page">
      <PageHeader title={t('settings.title')} intro={t('settings.intro')} />
      {result.error ? <QueryProblem error={result.error} retry={() => reexecute({ requestPolicy: 'network-only' })} /> : null}
      {data ? (
        <SettingsForm
          initial={{
            name: data.tenant.name,
            timeZone: data.reportTimeZone,
            maxConcurrentCalls: String(data.routingSettings.maxConcurrentCalls),
          }}
        />
      ) : result.fetching ? (
        <Loading />
      ) : null}
    </section>
  );
}

function timeZones(current: string): string[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone'));
  zones.add('UTC');
  zones.add(current);
  return [...zones].sort();
}

interface SettingsValues {
  name: string;
  timeZone: string;
  maxConcurrentCalls: string;
}

function SettingsForm({ initial }: { initial: SettingsValues }) {
  const t = useT();
  const [saved, setSaved] = useState<string | null>(null);
  const [, save] = useMutation(SaveTenantSettingsMutation);
  const zones = useMemo(() => timeZones(initial.timeZone).map((zone) => ({ value: zone, label: zone })), [initial.timeZone]);
  // Mirrors TenantUpdateIn (2-120 characters) and RoutingSettingsIn (0 to 1,000,000).
  const schema = useMemo(
    () =>
      z.object({
        name: z.string().trim().min(2, t('validation.tooShort', { min: 2 })).max(120, t('validation.tooLong', { max: 120 })),
        timeZone: z.string().min(1, t('validation.required')),
        maxConcurrentCalls: z
          .string()
          .trim()
          .regex(/^\d+$/, t('validation.wholeNumber'))
          .transform(Number)
          .pipe(z.number().max(1_000_000, t('validation.atMost', { max: 1_000_000 }))),
      }),
    [t],
  );
  const { form, problem, busy, handleSubmit } = useServerForm({ schema, defaultValues: initial });
  const onSubmit = handleSubmit(
    (values) => {
      setSaved(null);
      return save({
        tenant: { name: values.name },
        timeZone: values.timeZone,
        routing: { maxConcurrentCalls: values.maxConcurrentCalls },
      });
    },
    () => setSaved(t('settings.saved')),
  );

  return (
    <form onSubmit={onSubmit} noValidate className="form form-wide">
      <TextField form={form} name="name" label={t('field.centerName')} required autoComplete="organization" />
      <SelectField form={form} name="timeZone" label={t('field.timeZone')} hint={t('settings.timeZoneHint')} options={zones} required />
      <TextField
        form={form}
        name="maxConcurrentCalls"
        label={t('field.maxConcurrentCalls')}
        hint={t('settings.maxConcurrentCallsHint')}
        inputMode="numeric"
        required
      />
      <FormAlert problem={problem} />
      <StatusMessage message={saved} />
      <FormActions busy={busy} />
    </form>
  );
}
