import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRequest, type GraphQLRequest, type OperationContext } from '@urql/core';
import type { DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { pipe, take, toPromise } from 'wonka';

import { fakeClient, gqlError, operationName, ownerSession, renderPage, type FakeAnswer } from '../../test/render';
import SupervisorPage from './SupervisorPage';

const NOW = new Date();
const ago = (s: number) => new Date(NOW.getTime() - s * 1000).toISOString();

const queues = [
  { id: 'Q1', name: 'Support', slThresholdS: 20 },
  { id: 'Q2', name: 'Billing', slThresholdS: 30 },
];
const ada = { agentId: 'A1', displayName: 'Ada Agent', state: 'available', secondsInState: 65, callId: null, queueIds: ['Q1'], call: null };
const bo = {
  agentId: 'A2',
  displayName: 'Bo Agent',
  state: 'on_contact',
  secondsInState: 30,
  callId: 'call-9',
  queueIds: ['Q1', 'Q2'],
  call: { callId: 'call-9', from: '+33612345678', queueId: 'Q1', answeredAt: ago(30), customerName: 'Grace Caller' },
};

function queryAnswer(request: GraphQLRequest): FakeAnswer | undefined {
  switch (operationName(request)) {
    case 'WallboardQueues':
      return { data: { queues: { nodes: queues, pageInfo: { hasNextPage: false, endCursor: null } } } };
    case 'WallboardQueueStatus': {
      const { queueId } = request.variables as { queueId: string };
      return { data: { queueStatus: { queueId, waiting: queueId === 'Q1' ? 1 : 0, longestWaitSeconds: queueId === 'Q1' ? 25 : 0 } } };
    }
    case 'WallboardAgents':
      return { data: { agents: { nodes: [ada, bo], pageInfo: { hasNextPage: false, endCursor: null } } } };
    case 'WallboardToday': {
      const { queueId } = request.variables as { queueId: string };
      const today = queueId === 'Q1' ? { offered: 10, abandoned: 2, serviceLevel: 0.6, abandonmentRate: 0.2 } : { offered: 0, abandoned: 0, serviceLevel: null, abandonmentRate: null };
      return { data: { realtime: { today } } };
    }
    case 'WallboardBreakReasons':
      return { data: { breakReasons: [{ id: 'B1', name: 'lunch' }] } };
    default:
      return undefined;
  }
}

/** The shared fake client, plus `query` and `subscription` as urql's Client has them;
 * `push` plays the server's `liveChanges`. */
function wallboardClient(mutation: (request: GraphQLRequest) => FakeAnswer | undefined = () => undefined) {
  const fake = fakeClient({ query: queryAnswer, mutation });
  const client = fake.client as unknown as Record<string, unknown>;
  client.query = (query: DocumentNode, variables: Record<string, unknown>, context?: Partial<OperationContext>) => ({
    toPromise: () => pipe(fake.executeQuery(createRequest(query, variables), context), take(1), toPromise),
  });
  const listeners = new Set<(value: unknown) => void>();
  client.subscription = () => ({
    subscribe: (sink: (result: unknown) => void) => {
      listeners.add(sink);
      return { unsubscribe: () => listeners.delete(sink) };
    },
  });
  const push = (liveChanges: unknown) => act(() => listeners.forEach((l) => l({ data: { liveChanges } })));
  return { ...fake, client: fake.client, push };
}

async function renderBoard(mutation?: (request: GraphQLRequest) => FakeAnswer | undefined) {
  const fake = wallboardClient(mutation);
  renderPage(<SupervisorPage />, { client: fake.client, session: ownerSession, path: '/supervisor' });
  await screen.findByRole('table', { name: 'Agents, their state and current call' });
  return { ...fake, user: userEvent.setup() };
}

const tile = (name: string) => screen.getByRole('article', { name });
const row = (name: string) => screen.getByRole('row', { name: new RegExp(name) });

describe('SupervisorPage', () => {
  it('shows a tile per queue and the agent grid from the snapshot, with what is off target in words', async () => {
    await renderBoard();
    const support = tile('Support');
    expect(within(support).getByText('Waiting').nextSibling).toHaveTextContent('1');
    expect(support).toHaveTextContent('Over 20 s');
    await waitFor(() => expect(support).toHaveTextContent('60%'));
    expect(support).toHaveTextContent('Below the 80% target');
    expect(support).toHaveTextContent('Over 5%');
    expect(support).toHaveTextContent('2 of 10 calls');
    expect(support).toHaveTextContent('Off target');
    const billing = tile('Billing');
    await waitFor(() => expect(billing).toHaveTextContent('No calls yet'));
    expect(billing).toHaveTextContent('On target');

    expect(row('Ada Agent')).toHaveTextContent('Available');
    expect(row('Ada Agent')).toHaveTextContent(/1:0\d/);
    expect(row('Ada Agent')).toHaveTextContent('No call');
    expect(row('Bo Agent')).toHaveTextContent('+33612345678');
    expect(row('Bo Agent')).toHaveTextContent('Grace Caller');
    expect(row('Bo Agent')).toHaveTextContent(/Talk 0:3\d/);
    expect(row('Bo Agent')).toHaveTextContent('Support, Billing');
    // Listen is offered on the answered call; whisper and barge say why they are not.
    expect(within(row('Bo Agent')).getByRole('button', { name: 'Listen' })).toBeEnabled();
    const whisper = within(row('Bo Agent')).getByRole('button', { name: 'Whisper' });
    expect(whisper).toBeDisabled();
    expect(whisper).toHaveAccessibleDescription(
      'Whisper is not available: this media server (rtpengine 10.5) cannot send your voice to the agent alone yet.',
    );
    const barge = within(row('Bo Agent')).getByRole('button', { name: 'Barge' });
    expect(barge).toBeDisabled();
    expect(barge).toHaveAccessibleDescription(
      'Barge is not available: joining the call needs a conference mixer, which this media server (rtpengine 10.5) does not have.',
    );
    expect(screen.getByText(/Barge is not available/)).toBeVisible();
  });

  it('follows liveChanges: a new call on a tile, a state change in the grid', async () => {
    const { push } = await renderBoard();
    push({ __typename: 'QueueChange', event: 'enqueued', at: NOW.toISOString(), status: { queueId: 'Q2', waiting: 1, longestWaitSeconds: 0 } });
    expect(within(tile('Billing')).getByText('Waiting').nextSibling).toHaveTextContent('1');

    push({ __typename: 'AgentStateChange', agentId: 'A1', displayName: 'Ada Agent', state: 'break:lunch', callId: null, since: NOW.toISOString(), queueIds: ['Q1'], call: null });
    expect(row('Ada Agent')).toHaveTextContent('Break (lunch)');
    expect(row('Ada Agent')).toHaveTextContent('0:0');
  });

  it('signs an agent out of a queue and shows the answer in the dialog and the grid', async () => {
    const { user, executeMutation } = await renderBoard((request) =>
      operationName(request) === 'WallboardSignOut' ? { data: { signOutOfQueue: { ...ada, queueIds: [] } } } : undefined,
    );
    await user.click(within(row('Ada Agent')).getByRole('button', { name: 'Manage' }));
    const dialog = await screen.findByRole('dialog', { name: 'Manage Ada Agent' });
    await user.click(within(dialog).getByRole('button', { name: 'Sign out of Support' }));
    await waitFor(() => expect(within(dialog).getByRole('status')).toHaveTextContent('Ada Agent signed out of Support.'));
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({ input: { agentId: 'A1', queueId: 'Q1' } });
    expect(within(dialog).getByRole('button', { name: 'Sign in to Support' })).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(row('Ada Agent')).toHaveTextContent('None'));
  });

  it("sets an agent's state naming the agent, a break with its reason", async () => {
    const { user, executeMutation } = await renderBoard(() => ({ data: { setAgentState: { ...ada, state: 'break:lunch', secondsInState: 0 } } }));
    await user.click(within(row('Ada Agent')).getByRole('button', { name: 'Manage' }));
    const dialog = await screen.findByRole('dialog', { name: 'Manage Ada Agent' });
    await user.selectOptions(await within(dialog).findByLabelText('New state'), 'Break: lunch');
    await user.click(within(dialog).getByRole('button', { name: 'Set state' }));
    await waitFor(() => expect(within(dialog).getByRole('status')).toHaveTextContent('Ada Agent is now Break (lunch).'));
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({ input: { agentId: 'A1', state: 'break', reason: 'lunch' } });
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(row('Ada Agent')).toHaveTextContent('Break (lunch)'));
  });

  it('shows the server refusing and hides the actions on FORBIDDEN', async () => {
    const { user } = await renderBoard(() => ({ error: gqlError('FORBIDDEN', 'not allowed') }));
    await user.click(within(row('Ada Agent')).getByRole('button', { name: 'Manage' }));
    const dialog = await screen.findByRole('dialog', { name: 'Manage Ada Agent' });
    await user.click(within(dialog).getByRole('button', { name: 'Set state' }));
    expect(await within(dialog).findByRole('alert')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(within(row('Ada Agent')).queryByRole('button', { name: 'Manage' })).not.toBeInTheDocument());
    expect(screen.getByText('Your role may watch the floor but not act on it.')).toBeInTheDocument();
  });

  it('hangs up a live call after a confirmation', async () => {
    const { user, executeMutation } = await renderBoard(() => ({ data: { hangUpCall: { call: { callId: 'call-9' } } } }));
    await user.click(within(row('Bo Agent')).getByRole('button', { name: 'Hang up' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Hang up this call?' });
    expect(confirm).toHaveTextContent("Bo Agent's call with +33612345678 ends at once");
    expect(executeMutation).not.toHaveBeenCalled();
    await user.click(within(confirm).getByRole('button', { name: 'Hang up' }));
    await waitFor(() => expect(screen.getByText('The call with +33612345678 was hung up.')).toBeInTheDocument());
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({ callId: 'call-9' });
  });
});
