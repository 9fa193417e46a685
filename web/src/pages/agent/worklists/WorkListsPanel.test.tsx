import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeOperation, type GraphQLRequest } from '@urql/core';
import { describe, expect, it, vi } from 'vitest';
import { makeSubject, map, pipe } from 'wonka';

import { fakeClient, gqlError, operationName, ownerSession, renderPage, type FakeAnswer } from '../../../test/render';
import { onDialRequest } from './dialRequest';
import { WorkListsPanel } from './WorkListsPanel';

const me = ownerSession.user.id;
const open = (id: string, number: string, assignee: { id: string; email: string } | null = null) => ({
  id,
  number,
  waitMs: 42_000,
  createdAt: '2026-12-04T09:00:00+00:00',
  assignee: assignee ? { ...assignee, displayName: null } : null,
});

function setup(mutations: FakeAnswer[], tasks = [open('m1', '+33611111111'), open('m2', '+33622222222', { id: 'other', email: 'bo@acme.test' })]) {
  let missed = tasks;
  let notes = [{ id: 'n1', kind: 'ticket.step_due_soon', title: 'Ticket #7 is due soon', body: 'Step Review', createdAt: '2026-12-04T09:00:00+00:00' }];
  const replies = [...mutations];
  const fake = fakeClient({
    query: (request) => {
      const name = operationName(request);
      if (name === 'AgentMissedCalls') return { data: { missedCalls: { nodes: missed }, dispositions: [{ id: 'd1', code: 'sale', label: 'Sale' }] } };
      if (name === 'AgentPendingCallbacks') return { data: { pendingCallbacks: [] } };
      return { data: { notifications: { nodes: notes } } };
    },
    mutation: () => replies.shift(),
  });
  // One subject per subscription, so a test pushes to the one it means.
  const subjects = new Map<string, ReturnType<typeof makeSubject<unknown>>>();
  const subject = (name: string) => {
    const existing = subjects.get(name);
    if (existing) return existing;
    const created = makeSubject<unknown>();
    subjects.set(name, created);
    return created;
  };
  (fake.client as unknown as { executeSubscription: unknown }).executeSubscription = (request: GraphQLRequest) => {
    const operation = makeOperation('subscription', request, { url: '/graphql', requestPolicy: 'network-only' });
    return pipe(
      subject(operationName(request) ?? '').source,
      map((data) => ({ operation, data, stale: false, hasNext: true })),
    );
  };
  renderPage(<WorkListsPanel />, { client: fake.client, session: ownerSession });
  return {
    ...fake,
    user: userEvent.setup(),
    setMissed: (rows: typeof tasks) => (missed = rows),
    setNotes: (rows: typeof notes) => (notes = rows),
    push: (kind: string) => act(() => subject('AgentWorkListChanges').next({ workListChanges: { kind, missedCall: null, notification: null } })),
    pushCallbacks: (rows: unknown[]) => act(() => subject('AgentPendingCallbackChanges').next({ pendingCallbackChanges: rows })),
  };
}

describe('WorkListsPanel', () => {
  it('lists open missed calls with who holds them, and unread notifications', async () => {
    setup([]);
    expect(await screen.findByRole('heading', { name: 'Missed calls (2)' })).toBeInTheDocument();
    const mine = screen.getByText('+33611111111').closest('li') as HTMLElement;
    expect(within(mine).getByRole('button', { name: 'Claim +33611111111' })).toBeInTheDocument();
    const theirs = screen.getByText('+33622222222').closest('li') as HTMLElement;
    expect(theirs).toHaveTextContent('claimed by bo@acme.test');
    expect(within(theirs).queryByRole('button', { name: /Call back/ })).toBeNull();
    expect(screen.getByRole('heading', { name: 'Notifications (1)' })).toBeInTheDocument();
    expect(screen.getByText('Ticket #7 is due soon')).toBeInTheDocument();
  });

  it('calls back in one click: claims the task, then asks the softphone to dial', async () => {
    const { user, executeMutation } = setup([{ data: { assignMissedCall: { id: 'm1', assignee: { id: me } } } }]);
    const dialled = vi.fn();
    const stop = onDialRequest(dialled);
    await user.click(await screen.findByRole('button', { name: 'Call back +33611111111' }));
    await waitFor(() => expect(dialled).toHaveBeenCalledWith({ number: '+33611111111', taskId: 'm1' }));
    stop();
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({ id: 'm1', assigneeId: me });
    expect(screen.getByText('Dial request for +33611111111 sent to the softphone.')).toBeInTheDocument();
  });

  it('closes a task with a disposition code and shows a refusal in place', async () => {
    const { user, executeMutation } = setup([{ error: gqlError('CONFLICT', 'missed call is already closed') }]);
    const close = await screen.findByRole('button', { name: 'Close +33611111111' });
    expect(close).toBeDisabled();
    await user.selectOptions(screen.getByLabelText('Disposition to close +33611111111'), 'Sale');
    await user.click(close);
    expect(await screen.findByRole('alert')).toHaveTextContent('missed call is already closed');
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({ id: 'm1', disposition: 'sale' });
  });

  it('refetches a list when a change of it is pushed', async () => {
    const { push, setMissed, setNotes, executeQuery, user, executeMutation } = setup([{ data: { markNotificationRead: { id: 'n1', readAt: 'now' } } }]);
    await screen.findByRole('heading', { name: 'Missed calls (2)' });
    setMissed([open('m3', '+33633333333')]);
    push('missed_call');
    expect(await screen.findByRole('heading', { name: 'Missed calls (1)' })).toBeInTheDocument();
    expect(screen.getByText('+33633333333')).toBeInTheDocument();
    const before = executeQuery.mock.calls.length;
    setNotes([]);
    await user.click(screen.getByRole('button', { name: 'Mark read: Ticket #7 is due soon' }));
    await waitFor(() => expect(screen.getByText('No unread notifications.')).toBeInTheDocument());
    expect(executeMutation).toHaveBeenCalledTimes(1);
    expect(executeQuery.mock.calls.length).toBeGreaterThan(before);
  });

  it('lists the callbacks waiting in the queues as routing pushes them', async () => {
    const { pushCallbacks } = setup([]);
    expect(await screen.findByRole('heading', { name: 'Callbacks waiting (0)' })).toBeInTheDocument();
    expect(screen.getByText('No callbacks waiting in your queues.')).toBeInTheDocument();
    pushCallbacks([{ callId: 'c9', number: '+33655555555', queueName: 'Billing', requestedAt: '2026-12-04T09:00:00+00:00' }]);
    expect(await screen.findByRole('heading', { name: 'Callbacks waiting (1)' })).toBeInTheDocument();
    expect(screen.getByText('+33655555555').closest('li')).toHaveTextContent('Billing');
  });
});
