import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRequest, type GraphQLRequest, type OperationContext } from '@urql/core';
import type { DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { pipe, take, toPromise } from 'wonka';

import { fakeClient, operationName, ownerSession, renderPage, type FakeAnswer } from '../../test/render';
import ReportBuilderPage from './ReportBuilderPage';

const QUEUE = btoa('Queue:11111111-1111-4111-8111-111111111111');
const CSV = 'interval_start,interval_end,queue,offered,serviceLevel,answer_seconds,short_abandon_seconds,sl_formula\n2026-03-02T09:00:00+00:00,2026-03-02T10:00:00+00:00,11111111-1111-4111-8111-111111111111,4,0.5,20,5,genesys\n';
const saved = { id: 'U1', name: 'Morning', dimension: 'queue', metrics: ['offered', 'serviceLevel'], queueIds: [QUEUE], interval: '60m', timeZone: 'UTC', createdAt: '2026-03-01T00:00:00Z' };

function answers(request: GraphQLRequest): FakeAnswer | undefined {
  switch (operationName(request)) {
    case 'ReportTimeZone':
      return { data: { reportTimeZone: 'UTC' } };
    case 'ReportSubjects':
      return { data: { queues: { nodes: [{ id: QUEUE, name: 'Support' }] }, agents: { nodes: [] } } };
    case 'SavedReports':
      return { data: { savedReports: { nodes: [saved] } } };
    case 'PreviewReport':
      return { data: { previewReport: CSV } };
    default:
      return undefined;
  }
}

function builderClient(mutation: (r: GraphQLRequest) => FakeAnswer | undefined = () => undefined) {
  const fake = fakeClient({ query: answers, mutation });
  (fake.client as unknown as Record<string, unknown>).query = (query: DocumentNode, variables: Record<string, unknown>, context?: Partial<OperationContext>) => ({
    toPromise: () => pipe(fake.executeQuery(createRequest(query, variables), context), take(1), toPromise),
  });
  return fake;
}

const supervisorSession = { ...ownerSession, user: { ...ownerSession.user, role: 'supervisor' as const } };

describe('ReportBuilderPage', () => {
  it('previews a queue report as its CSV, with the queue by name, for a supervisor who may not save', async () => {
    const user = userEvent.setup();
    const fake = builderClient();
    renderPage(<ReportBuilderPage />, { client: fake.client, session: supervisorSession });
    await user.selectOptions(await screen.findByLabelText('Rows per'), 'Queue');
    await user.click(screen.getByRole('checkbox', { name: 'Support' }));
    await user.click(screen.getByRole('button', { name: 'Preview' }));
    const preview = await screen.findByRole('table', { name: 'Preview' });
    expect(within(preview).getByRole('row', { name: /Support/ })).toHaveTextContent('0.5');
    const call = fake.executeQuery.mock.calls.find(([r]) => operationName(r) === 'PreviewReport');
    expect(call?.[0].variables).toMatchObject({ input: { dimension: 'QUEUE', queueIds: [QUEUE], metrics: ['offered', 'serviceLevel', 'abandonmentRate', 'asa'] } });
    expect(screen.queryByRole('button', { name: 'Save for the center' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete Morning' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Export CSV: Morning' })).toBeInTheDocument();
  });

  it('asks for a name before saving, and for a metric before previewing', async () => {
    const user = userEvent.setup();
    const fake = builderClient(() => ({ data: { createSavedReport: { id: 'U2', name: 'Evening' } } }));
    renderPage(<ReportBuilderPage />, { client: fake.client, session: ownerSession });
    await user.click(await screen.findByRole('button', { name: 'Save for the center' }));
    expect(await screen.findByText('Name the report to save it.')).toBeInTheDocument();
    expect(fake.executeMutation).not.toHaveBeenCalled();
    await user.type(screen.getByLabelText(/Report name/), 'Evening');
    await user.click(screen.getByRole('button', { name: 'Save for the center' }));
    expect(await screen.findByText('Report Evening saved for everyone in your center.')).toBeInTheDocument();
    expect(fake.executeMutation.mock.calls[0]?.[0].variables).toMatchObject({ input: { name: 'Evening', dimension: 'TENANT', queueIds: [], timeZone: 'UTC' } });

    for (const metric of ['Offered', 'Service level', 'Abandonment rate', 'ASA']) await user.click(screen.getByRole('checkbox', { name: metric }));
    await user.click(screen.getByRole('button', { name: 'Preview' }));
    expect(await screen.findByText('Choose at least one metric.')).toBeInTheDocument();
  });
});
