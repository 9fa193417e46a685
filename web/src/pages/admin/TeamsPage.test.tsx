import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { fakeClient, gqlError, networkError, operationName, ownerSession, renderPage, type FakeAnswer } from '../../test/render';
import TeamsPage, { TeamForm } from './TeamsPage';

const ana = { id: 'u1', email: 'ana@acme.test', displayName: 'Ana' };
const bo = { id: 'u2', email: 'bo@acme.test', displayName: '' };
const candidates = { data: { users: { nodes: [ana, bo] } } };
const teams = { data: { teams: [{ id: 't1', name: 'Billing', members: [ana] }, { id: 't2', name: 'Field service', members: [] }] } };

function respondQuery(request: Parameters<typeof operationName>[0]): FakeAnswer {
  return operationName(request) === 'TeamCandidates' ? candidates : teams;
}

function renderForm(answers: FakeAnswer[], team: Parameters<typeof TeamForm>[0]['team'] = null) {
  const replies = [...answers];
  const fake = fakeClient({ query: respondQuery, mutation: () => replies.shift() });
  const onSaved = vi.fn();
  renderPage(<TeamForm team={team} onCancel={() => {}} onSaved={onSaved} />, { client: fake.client, session: ownerSession });
  return { ...fake, onSaved, user: userEvent.setup() };
}

describe('TeamForm', () => {
  it('creates a team with the members ticked', async () => {
    const { user, onSaved, executeMutation } = renderForm([{ data: { createTeam: { id: 't3', name: 'Sales' } } }]);
    await user.type(await screen.findByLabelText(/^Name/), 'Sales');
    const members = screen.getByRole('group', { name: 'Members' });
    await user.click(within(members).getByRole('checkbox', { name: 'bo@acme.test' }));
    await user.click(within(members).getByRole('checkbox', { name: 'Ana (ana@acme.test)' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('Sales', true));
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({ input: { name: 'Sales', memberIds: ['u1', 'u2'] } });
  });

  it('edits a team: its name and members as they are, then changed', async () => {
    const { user, onSaved, executeMutation } = renderForm([{ data: { updateTeam: { id: 't1', name: 'Billing EU' } } }], {
      id: 't1',
      name: 'Billing',
      members: [ana],
    });
    const name = await screen.findByLabelText(/^Name/);
    expect(name).toHaveValue('Billing');
    expect(screen.getByRole('checkbox', { name: 'Ana (ana@acme.test)' })).toBeChecked();
    await user.clear(name);
    await user.type(name, 'Billing EU');
    await user.click(screen.getByRole('checkbox', { name: 'Ana (ana@acme.test)' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('Billing EU', false));
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({ id: 't1', input: { name: 'Billing EU', memberIds: [] } });
  });

  it('shows a BAD_USER_INPUT on the members and keeps the draft', async () => {
    const { user } = renderForm([{ error: gqlError('BAD_USER_INPUT', 'memberIds: no such active user', { field: 'memberIds' }) }]);
    await user.type(await screen.findByLabelText(/^Name/), 'Sales');
    await user.click(screen.getByRole('checkbox', { name: 'bo@acme.test' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const members = screen.getByRole('group', { name: 'Members' });
    await waitFor(() => expect(members).toHaveAccessibleDescription(expect.stringContaining('memberIds: no such active user')));
    expect(screen.getByRole('checkbox', { name: 'bo@acme.test' })).toBeChecked();
    expect(screen.getByLabelText(/^Name/)).toHaveValue('Sales');
  });

  it('says what conflicts, and offers Retry after a network error', async () => {
    const { user } = renderForm([
      { error: gqlError('CONFLICT', "team 'Sales' already exists") },
      { error: networkError() },
    ]);
    await user.type(await screen.findByLabelText(/^Name/), 'Sales');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent("This conflicts with what exists: team 'Sales' already exists");
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('button', { name: 'Retry' })).toBeInTheDocument();
    expect(screen.getByLabelText(/^Name/)).toHaveValue('Sales');
  });
});

describe('TeamsPage', () => {
  it('lists teams with their members, and searches', async () => {
    const { client } = fakeClient({ query: respondQuery });
    renderPage(<TeamsPage />, { client, session: ownerSession, path: '/admin/teams' });
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Teams' });
    expect(within(table).getByRole('row', { name: /Billing/ })).toHaveTextContent('Ana');
    expect(within(table).getByRole('row', { name: /Field service/ })).toHaveTextContent('No members');
    await user.type(screen.getByLabelText('Search'), 'ana');
    expect(within(table).queryByRole('rowheader', { name: 'Field service' })).not.toBeInTheDocument();
  });

  it('deletes after a confirmation', async () => {
    const { client, executeMutation } = fakeClient({ query: respondQuery, mutation: () => ({ data: { deleteTeam: { deletedId: 't2' } } }) });
    renderPage(<TeamsPage />, { client, session: ownerSession });
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Teams' });
    await user.click(within(within(table).getByRole('row', { name: /Field service/ })).getByRole('button', { name: 'Delete' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Delete team Field service?' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('Team Field service deleted.')).toBeInTheDocument();
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({ id: 't2' });
  });
});
