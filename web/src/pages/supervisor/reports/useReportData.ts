import { useQuery } from 'urql';

import type { ReportRowIn } from './chartData';
import type { HourlyRowIn } from './heatmap';
import type { ApiRange } from './interval';
import { AgentReportQuery, AgentWorkloadQuery, HourlyTrafficQuery, QueueReportQuery, TenantReportQuery } from './operations';
import type { WorkloadRowIn } from './workload';

/** What a report is about: the tenant, one queue or one agent. */
export type Subject = { kind: 'tenant' } | { kind: 'queue'; id: string } | { kind: 'agent'; id: string };

export function parseSubject(value: string): Subject {
  const [kind, id] = value.split(':', 2);
  if (kind === 'queue' && id) return { kind, id };
  if (kind === 'agent' && id) return { kind, id };
  return { kind: 'tenant' };
}

export const subjectValue = (subject: Subject) => (subject.kind === 'tenant' ? 'tenant' : `${subject.kind}:${subject.id}`);

/** The interval rows, traffic by hour and workload of `subject` over `range` (null: not asked). */
export function useReportData(subject: Subject, range: ApiRange | null) {
  const paused = range === null;
  const vars = { range: range ?? { start: '', end: '', interval: 'MINUTES_60' as const, timeZone: 'UTC' } };
  const [tenant, refetchTenant] = useQuery({ query: TenantReportQuery, variables: vars, pause: paused || subject.kind !== 'tenant' });
  const [queue, refetchQueue] = useQuery({
    query: QueueReportQuery,
    variables: { ...vars, queueId: subject.kind === 'queue' ? subject.id : '' },
    pause: paused || subject.kind !== 'queue',
  });
  const [agent, refetchAgent] = useQuery({
    query: AgentReportQuery,
    variables: { ...vars, agentId: subject.kind === 'agent' ? subject.id : '' },
    pause: paused || subject.kind !== 'agent',
  });
  const [hourly] = useQuery({
    query: HourlyTrafficQuery,
    variables: { ...vars, queueId: subject.kind === 'queue' ? subject.id : null },
    pause: paused || subject.kind === 'agent',
  });
  const [workload] = useQuery({ query: AgentWorkloadQuery, variables: vars, pause: paused || subject.kind === 'queue' });

  const current = subject.kind === 'tenant' ? tenant : subject.kind === 'queue' ? queue : agent;
  const rows: ReportRowIn[] | undefined =
    subject.kind === 'tenant' ? tenant.data?.tenantReport : subject.kind === 'queue' ? queue.data?.queueReport : agent.data?.agentReport;
  const workloadRows: WorkloadRowIn[] | undefined = workload.data?.agentWorkload.filter((r) => subject.kind !== 'agent' || r.agentId === subject.id);
  const hourlyRows: HourlyRowIn[] | undefined = hourly.data?.hourlyTraffic;
  const retry = () => {
    const policy = { requestPolicy: 'network-only' as const };
    if (subject.kind === 'tenant') refetchTenant(policy);
    else if (subject.kind === 'queue') refetchQueue(policy);
    else refetchAgent(policy);
  };
  return {
    rows,
    hourlyRows,
    workloadRows,
    fetching: current.fetching,
    error: current.error ?? hourly.error ?? workload.error,
    retry,
  };
}
