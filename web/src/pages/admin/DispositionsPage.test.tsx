import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { fakeClient, gqlError, ownerSession, renderPage, type FakeAnswer } from '../../test/render';
import DispositionsPage, { DispositionForm, type DispositionRow } from './DispositionsPage';

const sale: DispositionRow = { id: 'd1', code: 'sale', label: 'Sale', active: true, requiresNote: true, used: true };
const spam: DispositionRow = { id: 'd2', code: 'spam', label: 'Spam call', active: false, requiresNote: false, used: false };

function renderForm(answers: FakeAnswer[], disposition: DispositionRow | null = null) {
  const replies = [...answers];
  const fake = fakeClient({ mutation: () => replies.shift() });
  const onSaved = vi.fn();
  renderPage(<DispositionForm disposition={disposition} onCancel={() => {}} onSaved={onSaved} />, { client: fake.client, session: ownerSession });
  return { ...fake, onSaved, user: userEvent.setup() };
}

describe('DispositionForm', () => {
  it('sends the code, label and flags', async () => {
    const { user, executeMutation, onSaved } = renderForm([{ data: { createDisposition: { id: 'd9', code: 'no_answer' } } }]);
    await user.type(screen.getByLabelText(/^Code/), 'No_Answer');
    await user.type(screen.getByLabelText(/^Label/), 'No answer');
    await user.click(screen.getByLabelText('Requires a note'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('no_answer', true));
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({
      input: { code: 'no_answer', label: 'No answer', active: true, requiresNote: true },
    });
  });

  it('checks the code rule before sending and shows a CONFLICT in the form', async () => {
    const { user, executeMutation } = renderForm([{ error: gqlError('CONFLICT', 'a disposition with code sale already exists', { field: 'code' }) }]);
    await user.type(screen.getByLabelText(/^Code/), 'not ok!');
    await user.type(screen.getByLabelText(/^Label/), 'x');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByLabelText(/^Code/)).toHaveAccessibleDescription(/a-z, 0-9/);
    expect(executeMutation).not.toHaveBeenCalled();
    await user.clear(screen.getByLabelText(/^Code/));
    await user.type(screen.getByLabelText(/^Code/), 'sale');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This conflicts with what exists: a disposition with code sale already exists');
    expect(screen.getByLabelText(/^Label/)).toHaveValue('x');
  });

  it('keeps a used code read-only and archives by unticking Active', async () => {
    const { user, executeMutation } = renderForm([{ data: { updateDisposition: { id: 'd1', code: 'sale' } } }], sale);
    expect(screen.getByLabelText(/^Code/)).toHaveAttribute('readonly');
    expect(screen.getByLabelText(/^Code/)).toHaveAccessibleDescription(/cannot change/);
    await user.click(screen.getByLabelText('Active'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(executeMutation).toHaveBeenCalled());
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({
      id: 'd1',
      input: { code: 'sale', label: 'Sale', active: false, requiresNote: true },
    });
  });
});

describe('DispositionsPage', () => {
  it('lists every code with its status, and offers Delete only for unused ones', async () => {
    const { client, executeQuery } = fakeClient({ query: () => ({ data: { dispositions: [sale, spam] } }) });
    renderPage(<DispositionsPage />, { client, session: ownerSession, path: '/admin/dispositions' });
    const saleRow = await screen.findByRole('row', { name: /sale/ });
    expect(within(saleRow).getByText('Active')).toBeInTheDocument();
    expect(within(saleRow).queryByRole('button', { name: 'Delete' })).toBeNull();
    const spamRow = screen.getByRole('row', { name: /spam/ });
    expect(within(spamRow).getByText('Archived')).toBeInTheDocument();
    expect(within(spamRow).getByRole('button', { name: 'Delete' })).toBeInTheDocument();
    expect(executeQuery.mock.calls[0]?.[0].variables).toEqual({});
  });
});
