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
      return { data: { queues: { nodes: [{ id: QUEUE, name: 'Support' }] }, agents: { nodes: [{ agentId: AGENT, displayName: 'Ana Agent' }] } } };
    case 'SavedReports':
      return { data: { savedReports: { nodes: [saved] } } };
    case 'PreviewReport':
      return { data: { previewReport: CSV } };
    case 'QaBuilderReport':
      return { data: { qaReport: QA_ROWS } };
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

const AGENT = btoa('User:22222222-2222-4222-8222-222222222222');
const QA_ROWS = [
  { agentId: AGENT, queueId: null, periodStart: '2026-03-02T00:00:00+00:00', evaluations: 2, averageScore: 87.5, autoFails: 1 },
  { agentId: AGENT, queueId: null, periodStart: '2026-03-09T00:00:00+00:00', evaluations: 1, averageScore: null, autoFails: 0 },
];

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

  it('previews QA metrics per agent and week from qaReport, as a CSV table with the agent by name', async () => {
    const user = userEvent.setup();
    const fake = builderClient();
    renderPage(<ReportBuilderPage />, { client: fake.client, session: ownerSession });
    await user.selectOptions(await screen.findByLabelText('Data'), 'Quality (QA evaluations)');
    const form = screen.getByRole('form', { name: 'QA report definition' });
    expect(screen.queryByRole('button', { name: 'Save for the center' })).not.toBeInTheDocument();
    expect(within(form).getByLabelText('Rows per')).toHaveValue('AGENT');
    await user.selectOptions(within(form).getByLabelText('Interval'), 'Week');
    await user.click(within(form).getByRole('checkbox', { name: 'QA auto-fails' }));
    await user.click(within(form).getByRole('button', { name: 'Preview' }));
    const preview = await screen.findByRole('table', { name: 'Preview' });
    expect(within(preview).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['period_start', 'interval', 'agent', 'qaEvaluations', 'qaAverageScore']);
    const rows = within(preview).getAllByRole('row').slice(1);
    expect(rows.map((r) => Array.from(r.children).map((c) => c.textContent))).toEqual([
      ['2026-03-02T00:00:00+00:00', 'week', 'Ana Agent', '2', '87.5'],
      ['2026-03-09T00:00:00+00:00', 'week', 'Ana Agent', '1', ''],
    ]);
    const call = fake.executeQuery.mock.calls.find(([r]) => operationName(r) === 'QaBuilderReport');
    expect(call?.[0].variables).toMatchObject({ groupBy: 'AGENT', interval: 'WEEK', range: { timeZone: 'UTC' } });
    expect(screen.getByRole('button', { name: 'Download the preview as CSV' })).toBeInTheDocument();

    await user.selectOptions(within(form).getByLabelText('Rows per'), 'Queue');
    for (const metric of ['QA evaluations', 'QA average score']) await user.click(within(form).getByRole('checkbox', { name: metric }));
    await user.click(within(form).getByRole('button', { name: 'Preview' }));
    expect(await screen.findByText('Choose at least one metric.')).toBeInTheDocument();
  });
});
