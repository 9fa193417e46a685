import { useId, useMemo, useState } from 'react';
import { useClient, useQuery } from 'urql';

import { useT } from '../../i18n/useT';
import { Button } from '../../ui/Button';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { QueryProblem } from '../../ui/QueryProblem';
import { toCsv } from './reports/csv';
import { todayIn } from './reports/interval';
import { ReportSubjectsQuery, ReportTimeZoneQuery } from './reports/operations';
import { StaffingChart } from './staffing/StaffingChart';
import { StaffingHistoryQuery, StaffingPlanQuery, StaffingQueueAhtQuery, StaffingTenantAhtQuery } from './staffing/operations';
import { forecastOf, historyRange, planCsv, planInput, planRows, targetsError, type PlanOut, type Targets } from './staffing/plan';
import { NumberField, TARGET_ERRORS } from './staffing/TargetsFields';

const WEEKS = [1, 2, 4, 8] as const;

function useHistory(weeks: number, queueId: string, zone: string) {
  const range = useMemo(() => historyRange(weeks, todayIn(zone), zone), [weeks, zone]);
  const [hourly] = useQuery({ query: StaffingHistoryQuery, variables: { range, queueId: queueId || null } });
  const [tenantAht] = useQuery({ query: StaffingTenantAhtQuery, variables: { range }, pause: queueId !== '' });
  const [queueAht] = useQuery({ query: StaffingQueueAhtQuery, variables: { range, queueId }, pause: queueId === '' });
  const aht = queueId ? queueAht.data?.queueReport[0]?.aht : tenantAht.data?.tenantReport[0]?.aht;
  return { hourly: hourly.data?.hourlyTraffic, aht: aht ?? null, error: hourly.error ?? tenantAht.error ?? queueAht.error };
}

function Calculator({ zone }: { zone: string }) {
  const t = useT();
  const client = useClient();
  const selectId = useId();
  const [weeks, setWeeks] = useState(4);
  const [queueId, setQueueId] = useState('');
  const [form, setForm] = useState({ serviceLevel: '80', seconds: '20', shrinkage: '30', maxOccupancy: '' });
  const [ahtInput, setAhtInput] = useState<string | null>(null);
  const [plans, setPlans] = useState<Map<number, PlanOut> | null>(null);
  const [planError, setPlanError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [{ data: subjects }] = useQuery({ query: ReportSubjectsQuery });
  const history = useHistory(weeks, queueId, zone);
  const ahtShown = ahtInput ?? (history.aht === null ? '180' : String(Math.round(history.aht)));
  const targets: Targets = {
    serviceLevel: Number(form.serviceLevel),
    seconds: Number(form.seconds),
    shrinkage: Number(form.shrinkage),
    maxOccupancy: form.maxOccupancy.trim() === '' ? null : Number(form.maxOccupancy),
    ahtSeconds: Number(ahtShown),
  };
  const invalid = targetsError(targets);
  const forecast = forecastOf(history.hourly ?? []);
  const rows = plans ? planRows(forecast, plans) : null;
  const errorOf = (field: string) => (invalid === field ? t(TARGET_ERRORS[field] ?? 'staffing.error.aht') : null);
  const set = (key: keyof typeof form) => (value: string) => {
    setForm({ ...form, [key]: value });
    setPlans(null);
  };

  const calculate = async () => {
    if (invalid) return;
    setBusy(true);
    setPlanError(null);
    const results = await Promise.all(
      forecast
        .filter((f) => f.calls > 0)
        .map(async (f) => {
          const result = await client.query(StaffingPlanQuery, { input: planInput(f.calls, targets) }, { requestPolicy: 'network-only' }).toPromise();
          return [f.hour, result] as const;
        }),
    );
    setBusy(false);
    const failed = results.find(([, r]) => r.error);
    if (failed) {
      setPlanError(failed[1].error?.graphQLErrors[0]?.message ?? t('staffing.error.plan'));
      return;
    }
    setPlans(new Map(results.flatMap(([hour, r]) => (r.data ? [[hour, r.data.staffingPlan] as const] : []))));
  };

  return (
    <>
      <form
        className="report-controls"
        aria-label={t('staffing.controls')}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void calculate();
        }}
      >
        <div className="field">
          <label className="field-label" htmlFor={`${selectId}-weeks`}>
            {t('staffing.weeks')}
          </label>
          <select id={`${selectId}-weeks`} className="input" value={weeks} onChange={(e) => { setWeeks(Number(e.target.value)); setPlans(null); }}>
            {WEEKS.map((w) => (
              <option key={w} value={w}>
                {t('staffing.weeksOption', { count: w })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${selectId}-queue`}>
            {t('staffing.queue')}
          </label>
          <select id={`${selectId}-queue`} className="input" value={queueId} onChange={(e) => { setQueueId(e.target.value); setAhtInput(null); setPlans(null); }}>
            <option value="">{t('staffing.allQueues')}</option>
            {subjects?.queues.nodes.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </select>
        </div>
        <NumberField label={t('staffing.targetSl')} value={form.serviceLevel} onChange={set('serviceLevel')} min={1} max={99} error={errorOf('serviceLevel')} />
        <NumberField label={t('staffing.targetSeconds')} value={form.seconds} onChange={set('seconds')} min={1} error={errorOf('seconds')} />
        <NumberField label={t('staffing.shrinkage')} value={form.shrinkage} onChange={set('shrinkage')} min={0} max={99} error={errorOf('shrinkage')} />
        <NumberField label={t('staffing.maxOccupancy')} value={form.maxOccupancy} onChange={set('maxOccupancy')} min={1} max={100} hint={t('staffing.maxOccupancyHint')} error={errorOf('maxOccupancy')} />
        <NumberField
          label={t('staffing.aht')}
          value={ahtShown}
          onChange={(v) => { setAhtInput(v); setPlans(null); }}
          min={1}
          hint={history.aht === null ? t('staffing.ahtNone') : t('staffing.ahtFrom', { weeks, aht: Math.round(history.aht) })}
          error={errorOf('ahtSeconds')}
        />
        <Button type="submit" variant="primary" busy={busy} disabled={history.hourly === undefined || busy}>
          {t('staffing.calculate')}
        </Button>
      </form>
      {history.error ? <QueryProblem error={history.error} retry={() => undefined} /> : null}
      {planError ? (
        <p role="alert" className="alert alert-error">
          {planError}
        </p>
      ) : null}
      {history.hourly === undefined && !history.error ? <Loading label={t('staffing.loading')} /> : null}
      {rows && plans ? (
        <StaffingChart
          rows={rows}
          definition={t('staffing.definition', { sl: targets.serviceLevel, seconds: targets.seconds, shrinkage: targets.shrinkage, aht: targets.ahtSeconds, weeks, zone })}
          csv={() => {
            const { header, body } = planCsv(rows, plans, targets);
            return toCsv(header, body);
          }}
        />
      ) : null}
    </>
  );
}

/** Erlang C staffing per hour of a day, forecast from the last weeks' traffic and AHT. */
export default function StaffingPage() {
  const t = useT();
  const [{ data, error }, retry] = useQuery({ query: ReportTimeZoneQuery });
  return (
    <section className="page staffing">
      <PageHeader title={t('staffing.title')} intro={t('staffing.intro')} />
      {error ? <QueryProblem error={error} retry={() => retry({ requestPolicy: 'network-only' })} /> : null}
      {data ? <Calculator zone={data.reportTimeZone} /> : !error ? <Loading /> : null}
    </section>
  );
}
