import { useId, useMemo, useState } from 'react';
import { useQuery } from 'urql';

import { useT } from '../../i18n/useT';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { QueryProblem } from '../../ui/QueryProblem';
import { pickError, toApiRange, todayIn, type Picked } from './reports/interval';
import { IntervalPicker } from './reports/IntervalPicker';
import { ReportSubjectsQuery, ReportTimeZoneQuery } from './reports/operations';
import { ReportCharts } from './reports/ReportCharts';
import { TrafficHeatmap } from './reports/TrafficHeatmap';
import { parseSubject, subjectValue, useReportData, type Subject } from './reports/useReportData';
import { WorkloadTable } from './reports/WorkloadTable';

function SubjectPicker({ value, onChange }: { value: Subject; onChange: (next: Subject) => void }) {
  const t = useT();
  const id = useId();
  const [{ data }] = useQuery({ query: ReportSubjectsQuery });
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {t('reports.subject')}
      </label>
      <select id={id} className="input" value={subjectValue(value)} onChange={(e) => onChange(parseSubject(e.target.value))}>
        <option value="tenant">{t('reports.subject.tenant')}</option>
        <optgroup label={t('reports.subject.queues')}>
          {data?.queues.nodes.map((q) => (
            <option key={q.id} value={`queue:${q.id}`}>
              {q.name}
            </option>
          ))}
        </optgroup>
        <optgroup label={t('reports.subject.agents')}>
          {data?.agents.nodes.map((a) => (
            <option key={a.agentId} value={`agent:${a.agentId}`}>
              {a.displayName ?? a.agentId}
            </option>
          ))}
        </optgroup>
      </select>
    </div>
  );
}

function ReportsBody({ zone }: { zone: string }) {
  const t = useT();
  const today = todayIn(zone);
  const [subject, setSubject] = useState<Subject>({ kind: 'tenant' });
  const [picked, setPicked] = useState<Picked>({ interval: 'MINUTES_60', from: today, to: today });
  const range = useMemo(() => (pickError(picked) ? null : toApiRange(picked, zone)), [picked, zone]);
  const data = useReportData(subject, range);
  const [{ data: subjects }] = useQuery({ query: ReportSubjectsQuery });
  const names = useMemo(() => new Map((subjects?.agents.nodes ?? []).map((a) => [a.agentId, a.displayName ?? a.agentId])), [subjects]);
  const fileStem = `${subject.kind}-${picked.from}-${picked.to}`;
  return (
    <>
      <form className="report-controls" aria-label={t('reports.controls')} onSubmit={(e) => e.preventDefault()}>
        <SubjectPicker value={subject} onChange={setSubject} />
        <IntervalPicker value={picked} zone={zone} onChange={setPicked} />
      </form>
      {data.error ? <QueryProblem error={data.error} retry={data.retry} /> : null}
      {data.fetching ? <Loading label={t('reports.loading')} /> : null}
      {data.rows ? (
        <>
          <h2>{t('reports.overTime')}</h2>
          {subject.kind === 'queue' ? <p className="page-intro">{t('reports.occupancyNote')}</p> : null}
          <ReportCharts rows={data.rows} picked={picked} zone={zone} fileStem={fileStem} />
        </>
      ) : null}
      {data.hourlyRows ? <TrafficHeatmap rows={data.hourlyRows} zone={zone} filename={`${fileStem}-traffic-by-hour.csv`} /> : null}
      {data.workloadRows ? <WorkloadTable rows={data.workloadRows} names={names} filename={`${fileStem}-agent-workload.csv`} /> : null}
    </>
  );
}

/** Queue, agent and tenant reports over an interval, charted, each with its table and CSV. */
export default function ReportsPage() {
  const t = useT();
  const [{ data, error }, retry] = useQuery({ query: ReportTimeZoneQuery });
  return (
    <section className="page reports">
      <PageHeader title={t('reports.title')} intro={t('reports.intro')} />
      {error ? <QueryProblem error={error} retry={() => retry({ requestPolicy: 'network-only' })} /> : null}
      {data ? <ReportsBody zone={data.reportTimeZone} /> : !error ? <Loading label={t('reports.loading')} /> : null}
    </section>
  );
}
