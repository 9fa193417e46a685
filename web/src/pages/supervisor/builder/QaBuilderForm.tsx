import { useMemo, useState } from 'react';
import { useClient } from 'urql';

import { useServerForm } from '../../../forms/useServerForm';
import type { MessageId } from '../../../i18n/messages';
import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { CheckboxGroupField } from '../../../ui/CheckboxGroupField';
import { FormAlert } from '../../../ui/FormAlert';
import { SelectField } from '../../../ui/SelectField';
import { TextField } from '../../../ui/TextField';
import { todayIn } from '../reports/interval';
import { QaBuilderReportQuery } from './operations';
import { PreviewTable } from './PreviewTable';
import { makeQaSchema, QA_GROUPS, QA_INTERVALS, QA_METRICS, qaCsv, qaVariables, type QaValues } from './qaDefinition';

const GROUP_LABELS: Record<(typeof QA_GROUPS)[number], MessageId> = { AGENT: 'builder.dimension.agent', QUEUE: 'builder.dimension.queue' };
const INTERVAL_LABELS: Record<(typeof QA_INTERVALS)[number], MessageId> = { DAY: 'builder.qa.day', WEEK: 'builder.qa.week', MONTH: 'builder.qa.month' };

/** QA metrics per agent or queue and per day, week or month: a preview and its CSV (not saved). */
export function QaBuilderForm({ zone, names }: { zone: string; names: ReadonlyMap<string, string> }) {
  const t = useT();
  const client = useClient();
  const schema = useMemo(() => makeQaSchema(t), [t]);
  const today = todayIn(zone);
  const { form, problem, busy, handleSubmit } = useServerForm({
    schema,
    defaultValues: { groupBy: 'AGENT', metrics: [...QA_METRICS], interval: 'DAY', from: today, to: today },
    mode: 'onSubmit',
  });
  const [preview, setPreview] = useState<string | null>(null);
  const runPreview = handleSubmit(
    (values: QaValues) => client.query(QaBuilderReportQuery, qaVariables(values, zone), { requestPolicy: 'network-only' }).toPromise(),
    (data, values) => setPreview(qaCsv(data.qaReport, values)),
  );
  return (
    <>
      <form onSubmit={runPreview} noValidate className="form builder-form" aria-label={t('builder.qa.form')}>
        <SelectField form={form} name="groupBy" label={t('builder.dimension')} options={QA_GROUPS.map((g) => ({ value: g, label: t(GROUP_LABELS[g]) }))} />
        <CheckboxGroupField form={form} name="metrics" label={t('builder.metrics')} options={QA_METRICS.map((m) => ({ value: m, label: t(`builder.metric.${m}`) }))} />
        <SelectField form={form} name="interval" label={t('reports.interval.label')} options={QA_INTERVALS.map((i) => ({ value: i, label: t(INTERVAL_LABELS[i]) }))} />
        <TextField form={form} name="from" type="date" label={t('builder.from', { zone })} />
        <TextField form={form} name="to" type="date" label={t('reports.interval.to')} />
        <FormAlert problem={problem} />
        <p className="field-hint">{t('builder.qa.notSaved')}</p>
        <div className="dialog-actions">
          <Button type="submit" variant="primary" busy={busy}>
            {t('builder.preview')}
          </Button>
        </div>
      </form>
      {preview !== null ? <PreviewTable csv={preview} names={names} filename="qa-report-preview.csv" rowsNote="builder.qa.rows" /> : null}
    </>
  );
}
