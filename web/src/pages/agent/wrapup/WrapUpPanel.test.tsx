import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeOperation, type GraphQLRequest } from '@urql/core';
import { describe, expect, it } from 'vitest';
import { makeSubject, map, pipe } from 'wonka';

import { fakeClient, gqlError, operationName, ownerSession, renderPage, type FakeAnswer } from '../../../test/render';
import { WrapUpPanel } from './WrapUpPanel';

const sale = { id: 'd1', code: 'sale', label: 'Sale', requiresNote: true };
const spam = { id: 'd2', code: 'spam', label: 'Spam', requiresNote: false };

function status(extra: Record<string, unknown> = {}) {
  return {
    state: 'acw',
    since: new Date().toISOString(),
    callId: 'c1',
    queueId: 'q1',
    wrapUpSeconds: 90,
    endsAt: new Date(Date.now() + 90_000).toISOString(),
    requireDisposition: true,
    overdue: false,
    disposition: null,
    call: { callId: 'c1', from: '+33612345678', customerName: 'Ada Lovelace' },
    ...extra,
  };
}

function setup(mutations: FakeAnswer[], initial = status()) {
  const replies = [...mutations];
  const fake = fakeClient({
    query: () => ({ data: { wrapUp: initial, dispositions: [sale, spam] } }),
    mutation: () => replies.shift(),
  });
  const pushes = makeSubject<unknown>();
  // urql subscribes to the source it gets back; each pushed payload becomes one result.
  const executeSubscription = (request: GraphQLRequest) => {
    const operation = makeOperation('subscription', request, { url: '/graphql', requestPolicy: 'network-only' });
    return pipe(
      pushes.source,
      map((data) => ({ operation, data, stale: false, hasNext: true })),
    );
  };
  (fake.client as unknown as { executeSubscription: unknown }).executeSubscription = executeSubscription;
  renderPage(<WrapUpPanel />, { client: fake.client, session: ownerSession });
  const push = (value: Record<string, unknown>) => act(() => pushes.next({ wrapUpChanges: value }));
  return { ...fake, push, user: userEvent.setup() };
}

describe('WrapUpPanel', () => {
  it('shows the call, the countdown from the queue, and that routing requires a disposition', async () => {
    setup([]);
    expect(await screen.findByRole('heading', { name: 'Wrap-up' })).toBeInTheDocument();
    expect(screen.getByText('Call with Ada Lovelace')).toBeInTheDocument();
    expect(screen.getByRole('status', { name: 'Routing state' })).toHaveTextContent('Routing state: after-call work.');
    expect(screen.getByLabelText(/^(90|89) seconds left$/)).toHaveTextContent(/^1:(30|29)$/);
    expect(screen.getByText('This queue requires a disposition before you become available.')).toBeInTheDocument();
  });

  it('records the disposition and note, then shows what routing answered', async () => {
    const { user, executeMutation } = setup([{ data: { wrapUpCall: status({ state: 'available', disposition: sale, endsAt: null }) } }]);
    await user.selectOptions(await screen.findByLabelText('Disposition'), 'Sale');
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    expect(await screen.findByText('Sale needs a note.')).toBeInTheDocument();
    expect(executeMutation).not.toHaveBeenCalled();
    await user.type(screen.getByLabelText('Note'), 'two seats');
    await user.click(screen.getByRole('button', { name: 'Finish wrap-up' }));
    await waitFor(() => expect(executeMutation).toHaveBeenCalledTimes(1));
    expect(operationName(executeMutation.mock.calls[0]?.[0] as GraphQLRequest)).toBe('WrapUpCall');
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({
      input: { callId: 'c1', dispositionId: 'd1', note: 'two seats', finish: true },
    });
    // routing answered "available": the panel has nothing left to wrap up
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Wrap-up' })).toBeNull());
  });

  it('shows routing refusing to finish without the required disposition, and stays in ACW', async () => {
    const { user, executeMutation } = setup([
      { error: gqlError('CONFLICT', 'record a disposition for call c1 before leaving wrap-up') },
    ]);
    await user.click(await screen.findByRole('button', { name: 'Finish wrap-up' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('record a disposition for call c1 before leaving wrap-up');
    expect(operationName(executeMutation.mock.calls[0]?.[0] as GraphQLRequest)).toBe('FinishWrapUp');
    expect(screen.getByRole('status', { name: 'Routing state' })).toHaveTextContent('Routing state: after-call work.');
  });

  it('follows pushed changes: overdue, then gone once routing makes the agent available', async () => {
    const { push } = setup([]);
    await screen.findByRole('heading', { name: 'Wrap-up' });
    push(status({ overdue: true, endsAt: null }));
    expect(await screen.findByText('Wrap-up time is over. Record a disposition to take the next call.')).toBeInTheDocument();
    push(status({ state: 'available', callId: null, call: null }));
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Wrap-up' })).toBeNull());
  });

  it('puts a server note error on the note field', async () => {
    const { user } = setup([{ error: gqlError('BAD_USER_INPUT', 'Spam needs a note', { field: 'note' }) }]);
    await user.selectOptions(await screen.findByLabelText('Disposition'), 'Spam');
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    await waitFor(() => expect(screen.getByLabelText('Note')).toHaveAccessibleDescription('Spam needs a note'));
  });
});
