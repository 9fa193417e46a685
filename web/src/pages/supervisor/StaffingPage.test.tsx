import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRequest, type GraphQLRequest, type OperationContext } from '@urql/core';
import type { DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { pipe, take, toPromise } from 'wonka';

import { fakeClient, operationName, ownerSession, renderPage, type FakeAnswer } from '../../test/render';
import StaffingPage from './StaffingPage';

function answers(request: GraphQLRequest): FakeAnswer | undefined {
  switch (operationName(request)) {
    case 'ReportTimeZone':
      return { data: { reportTimeZone: 'UTC' } };
    case 'ReportSubjects':
      return { data: { queues: { nodes: [] }, agents: { nodes: [] } } };
    case 'StaffingHistory':
      return { data: { hourlyTraffic: [{ hour: 9, offered: 140, averageOfferedPerDay: 20 }] } };
    case 'StaffingTenantAht':
      return { data: { tenantReport: [{ handled: 140, aht: 240.4 }] } };
    case 'StaffingPlan': {
      const { input } = request.variables as { input: { callsPerInterval: number } };
      return { data: { staffingPlan: { trafficErlangs: input.callsPerInterval / 15, agents: 4, scheduledAgents: 6, serviceLevel: 0.85, asa: 5, occupancy: 0.33, probabilityOfWaiting: 0.2 } } };
    }
    default:
      return undefined;
  }
}

describe('StaffingPage', () => {
  it('pre-fills AHT from history, asks the plan for each hour with calls and charts it with its table', async () => {
    const user = userEvent.setup();
    const fake = fakeClient({ query: answers });
    (fake.client as unknown as Record<string, unknown>).query = (query: DocumentNode, variables: Record<string, unknown>, context?: Partial<OperationContext>) => ({
      toPromise: () => pipe(fake.executeQuery(createRequest(query, variables), context), take(1), toPromise),
    });
    renderPage(<StaffingPage />, { client: fake.client, session: ownerSession });
    expect(await screen.findByLabelText('Average handle time (seconds)')).toHaveValue(240);
    await user.clear(screen.getByLabelText('Shrinkage (%)'));
    await user.type(screen.getByLabelText('Shrinkage (%)'), '100');
    expect(screen.getByText('Enter 0 to 99 %.')).toBeInTheDocument();
    await user.clear(screen.getByLabelText('Shrinkage (%)'));
    await user.type(screen.getByLabelText('Shrinkage (%)'), '25');
    await user.click(screen.getByRole('button', { name: 'Calculate the plan' }));
    const table = await screen.findByRole('table', { name: 'Staffing plan by hour' });
    const nine = within(table).getByRole('row', { name: /^09:00/ });
    expect(within(nine).getAllByRole('cell').map((c) => c.textContent)).toEqual(['20', '1.3', '4', '6', '85%', '5 s', '33%']);
    const plans = fake.executeQuery.mock.calls.filter(([r]) => operationName(r) === 'StaffingPlan');
    expect(plans).toHaveLength(1);
    expect(plans[0]?.[0].variables).toEqual({ input: { callsPerInterval: 20, intervalSeconds: 3600, ahtSeconds: 240, targetServiceLevel: 0.8, targetSeconds: 20, shrinkage: 0.25, maxOccupancy: null } });
    expect(screen.getByText(/N = the fewest agents reaching 80 % answered within 20 s/)).toBeInTheDocument();
  });
});
