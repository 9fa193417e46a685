import { useMemo, useState } from 'react';
import { useClient, useMutation } from 'urql';

import { useSession } from '../../../auth/session';
import { useServerForm } from '../../../forms/useServerForm';
import type { MessageId } from '../../../i18n/messages';
import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { CheckboxGroupField } from '../../../ui/CheckboxGroupField';
import { FormAlert } from '../../../ui/FormAlert';
import { SelectField } from '../../../ui/SelectField';
import { StatusMessage } from '../../../ui/StatusMessage';
import { TextField } from '../../../ui/TextField';
import { INTERVALS, todayIn } from '../reports/interval';
import { INTERVAL_LABELS } from '../reports/IntervalPicker';
import { DIMENSIONS, makeBuilderSchema, METRICS, periodOf, toReportInput, type BuilderValues, type Dimension } from './definition';
import { CreateSavedReportMutation, PreviewReportQuery } from './operations';
import { PreviewTable } from './PreviewTable';

export const DIMENSION_LABELS: Record<Dimension, MessageId> = {
  TENANT: 'builder.dimension.tenant',
  QUEUE: 'builder.dimension.queue',
  AGENT: 'builder.dimension.agent',
};

export const metricLabel = (metric: string): MessageId => `builder.metric.${metric}` as MessageId;

interface BuilderFormProps {
  zone: string;
  queues: readonly { id: string; name: string }[];
  /** Row id → name, for the preview's queue and agent column. */
  names: ReadonlyMap<string, string>;
  onSaved: () => void;
  onPeriod: (period: { from: string; to: string }) => void;
}

/** Metrics × dimension × queue filter × interval, a preview over a period, then save. */
export function BuilderForm({ zone, queues, names, onSaved, onPeriod }: BuilderFormProps) {
  const t = useT();
  const client = useClient();
  const { user } = useSession();
  const mayShare = user.role === 'owner' || user.role === 'admin';
  const schema = useMemo(() => makeBuilderSchema(t), [t]);
  const today = todayIn(zone);
  const { form, problem, busy, handleSubmit } = useServerForm({
    schema,
    defaultValues: { name: '', dimension: 'TENANT', metrics: ['offered', 'serviceLevel', 'abandonmentRate', 'asa'], queueIds: [], interval: 'MINUTES_60', from: today, to: today },
    mode: 'onSubmit',
  });
  const [preview, setPreview] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [, create] = useMutation(CreateSavedReportMutation);
  const dimension = form.watch('dimension');

  const runPreview = handleSubmit(
    (values: BuilderValues) =>
      client.query(PreviewReportQuery, { input: toReportInput(values, zone), ...periodOf(values, zone) }, { requestPolicy: 'network-only' }).toPromise(),
    (data, values) => {
      setPreview(data.previewReport);
      onPeriod({ from: values.from, to: values.to });
    },
  );
  const send = handleSubmit(
    (values: BuilderValues) => create({ input: toReportInput(values, zone) }),
    (data) => {
      setSaved(t('builder.saved', { name: data.createSavedReport.name }));
      onSaved();
    },
  );
  const save = () => {
    if (!form.getValues('name').trim()) {
      form.setError('name', { message: t('builder.error.nameRequired') }, { shouldFocus: true });
      return;
    }
    void send();
  };

  return (
    <>
      <form onSubmit={runPreview} noValidate className="form builder-form" aria-label={t('builder.form')}>
        <TextField form={form} name="name" label={t('builder.name')} hint={t('builder.nameHint')} autoComplete="off" />
        <SelectField form={form} name="dimension" label={t('builder.dimension')} options={DIMENSIONS.map((d) => ({ value: d, label: t(DIMENSION_LABELS[d]) }))} />
        {dimension === 'QUEUE' ? (
          <CheckboxGroupField
            form={form}
            name="queueIds"
            label={t('builder.queues')}
            hint={t('builder.queuesHint')}
            options={queues.map((q) => ({ value: q.id, label: q.name }))}
            empty={t('builder.noQueues')}
          />
        ) : null}
        <CheckboxGroupField form={form} name="metrics" label={t('builder.metrics')} options={METRICS.map((m) => ({ value: m, label: t(metricLabel(m)) }))} />
        <SelectField form={form} name="interval" label={t('reports.interval.label')} options={INTERVALS.map((i) => ({ value: i, label: t(INTERVAL_LABELS[i]) }))} />
        <TextField form={form} name="from" type="date" label={t('builder.from', { zone })} />
        <TextField form={form} name="to" type="date" label={t('reports.interval.to')} />
        <FormAlert problem={problem} />
        <StatusMessage message={saved} />
        <div className="dialog-actions">
          <Button type="submit" variant="primary" busy={busy}>
            {t('builder.preview')}
          </Button>
          {mayShare ? (
            <Button onClick={save} busy={busy}>
              {t('builder.save')}
            </Button>
          ) : (
            <p className="field-hint">{t('builder.saveManagersOnly')}</p>
          )}
        </div>
      </form>
      {preview !== null ? <PreviewTable csv={preview} names={names} filename="report-preview.csv" /> : null}
    </>
  );
}
