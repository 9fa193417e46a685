import { useMemo, useState } from 'react';
import { useQuery } from 'urql';

import { useT } from '../../i18n/useT';
import { Loading } from '../../ui/Loading';
import { PageHeader } from '../../ui/PageHeader';
import { QueryProblem } from '../../ui/QueryProblem';
import { BuilderForm } from './builder/BuilderForm';
import { QaBuilderForm } from './builder/QaBuilderForm';
import { rowIdOf } from './builder/definition';
import { SavedReportsList } from './builder/SavedReportsList';
import { todayIn } from './reports/interval';
import { ReportSubjectsQuery, ReportTimeZoneQuery } from './reports/operations';

function Builder({ zone }: { zone: string }) {
  const [{ data }] = useQuery({ query: ReportSubjectsQuery });
  const queues = data?.queues.nodes ?? [];
  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const q of data?.queues.nodes ?? []) map.set(rowIdOf(q.id), q.name);
    for (const a of data?.agents.nodes ?? []) map.set(rowIdOf(a.agentId), a.displayName ?? a.agentId);
    return map;
  }, [data]);
  const today = todayIn(zone);
  const [period, setPeriod] = useState({ from: today, to: today });
  const [version, setVersion] = useState(0);
  const [source, setSource] = useState<'contacts' | 'qa'>('contacts');
  const t = useT();
  return (
    <>
      <label className="field">
        <span className="field-label">{t('builder.source')}</span>
        <select className="input" value={source} onChange={(event) => setSource(event.target.value === 'qa' ? 'qa' : 'contacts')}>
          <option value="contacts">{t('builder.source.contacts')}</option>
          <option value="qa">{t('builder.source.qa')}</option>
        </select>
      </label>
      {source === 'qa' ? (
        <QaBuilderForm zone={zone} names={names} />
      ) : (
        <BuilderForm zone={zone} queues={queues} names={names} onSaved={() => setVersion((v) => v + 1)} onPeriod={setPeriod} />
      )}
      <SavedReportsList key={version} period={period} />
    </>
  );
}

/** Build a report (metrics × dimension × filter × interval), preview it, save it for the tenant, export CSV. */
export default function ReportBuilderPage() {
  const t = useT();
  const [{ data, error }, retry] = useQuery({ query: ReportTimeZoneQuery });
  return (
    <section className="page report-builder">
      <PageHeader title={t('builder.title')} intro={t('builder.intro')} />
      {error ? <QueryProblem error={error} retry={() => retry({ requestPolicy: 'network-only' })} /> : null}
      {data ? <Builder zone={data.reportTimeZone} /> : !error ? <Loading /> : null}
    </section>
  );
}
