import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { GraphQLRequest } from '@urql/core';
import { describe, expect, it } from 'vitest';

import { fakeClient, operationName, ownerSession, renderPage } from '../../test/render';
import ReportsPage from './ReportsPage';

const definition = { answerSeconds: 20, shortAbandonSeconds: 5, formula: 'genesys', perQueueThresholds: false };
const reportRow = (start: string, end: string, serviceLevel: number | null) => ({
  intervalStart: start,
  intervalEnd: end,
  definition,
  offered: 4,
  answered: 3,
  abandoned: 1,
  shortAbandoned: 0,
  handled: 3,
  serviceLevel,
  abandonmentRate: 0.25,
  asa: 8,
  aht: 130,
  averageTalk: 100,
  averageHold: 0,
  averageAcw: 30,
  occupancy: 0.5,
});

function answers(request: GraphQLRequest) {
  switch (operationName(request)) {
    case 'ReportTimeZone':
      return { data: { reportTimeZone: 'Asia/Shanghai' } };
    case 'ReportSubjects':
      return { data: { queues: { nodes: [{ id: 'Q1', name: 'Support' }] }, agents: { nodes: [{ agentId: 'A1', displayName: 'Ada Agent' }] } } };
    case 'TenantReport':
      return { data: { tenantReport: [reportRow('2026-03-02T01:00:00Z', '2026-03-02T02:00:00Z', 0.75), reportRow('2026-03-02T02:00:00Z', '2026-03-02T03:00:00Z', null)] } };
    case 'QueueReport':
      return { data: { queueReport: [{ ...reportRow('2026-03-02T01:00:00Z', '2026-03-02T02:00:00Z', 0.5), occupancy: null }] } };
    case 'HourlyTraffic':
      return { data: { hourlyTraffic: [{ hour: 9, offered: 4, answered: 3, abandoned: 1, averageOfferedPerDay: 4, asa: 8 }] } };
    case 'AgentWorkload':
      return { data: { agentWorkload: [{ agentId: 'A1', handled: 3, aht: 130, averageTalk: 100, averageHold: 0, averageAcw: 30, occupancy: 0.5, availableSeconds: 390, onContactSeconds: 300, acwSeconds: 90, breakSeconds: 0 }] } };
    default:
      return undefined;
  }
}

describe('ReportsPage', () => {
  it('charts the tenant report in its zone, with definitions, data tables and the workload', async () => {
    const fake = fakeClient({ query: answers });
    renderPage(<ReportsPage />, { client: fake.client, session: ownerSession });
    expect(await screen.findByRole('heading', { name: 'Service level', level: 3 })).toBeInTheDocument();
    expect(screen.getByText('Period (times in Asia/Shanghai)')).toBeInTheDocument();
    expect(screen.getByText('SL = answered within T ÷ (answered + abandoned − short abandons); T = 20 s, S = 5 s')).toBeInTheDocument();
    const sl = screen.getByRole('table', { name: 'Service level by interval' });
    expect(within(sl).getByRole('row', { name: /09:00/ })).toHaveTextContent('75%');
    expect(within(sl).getByRole('row', { name: /10:00/ })).toHaveTextContent('—');
    expect(screen.getByRole('heading', { name: 'Occupancy', level: 3 })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Download CSV: Average handle time (talk, hold, ACW)' })).toBeInTheDocument();
    expect(within(screen.getByRole('table', { name: 'Agent workload' })).getByRole('row', { name: /Ada Agent/ })).toHaveTextContent('50%');
    expect(within(screen.getByRole('table', { name: 'Traffic by hour of day' })).getByRole('row', { name: /^Offered 0/ })).toBeInTheDocument();

    const tenantCall = fake.executeQuery.mock.calls.find(([r]) => operationName(r) === 'TenantReport');
    expect(tenantCall?.[0].variables).toMatchObject({ range: { interval: 'MINUTES_60', timeZone: 'Asia/Shanghai' } });
  });

  it('reports on a queue without occupancy, and refuses an end before the start', async () => {
    const user = userEvent.setup();
    const fake = fakeClient({ query: answers });
    renderPage(<ReportsPage />, { client: fake.client, session: ownerSession });
    await user.selectOptions(await screen.findByLabelText('Report on'), 'Support');
    expect(await screen.findByText('Occupancy is measured for agents and the whole center, not for a queue.')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Occupancy', level: 3 })).not.toBeInTheDocument();
    const queueCall = fake.executeQuery.mock.calls.find(([r]) => operationName(r) === 'QueueReport');
    expect(queueCall?.[0].variables).toMatchObject({ queueId: 'Q1' });

    const to = screen.getByLabelText('To (inclusive)');
    await user.clear(to);
    await user.type(to, '2000-01-01');
    expect(await screen.findByRole('alert')).toHaveTextContent('The end date is before the start date.');
  });
});
