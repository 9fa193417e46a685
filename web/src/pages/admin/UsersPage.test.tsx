import { screen, waitFor, within } from '@testing-library/react';
import type { GraphQLRequest } from '@urql/core';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import type { Session } from '../../auth/session';
import { fakeClient, gqlError, networkError, operationName, ownerSession, renderPage, type FakeAnswer } from '../../test/render';
import UsersPage, { CreateUserForm, EditUserForm } from './UsersPage';

const adminSession: Session = { ...ownerSession, user: { ...ownerSession.user, id: 'VXNlcjoy', role: 'admin' } };

function renderCreate(answers: FakeAnswer[], caller: 'owner' | 'admin' = 'owner') {
  const replies = [...answers];
  const fake = fakeClient({ mutation: () => replies.shift() });
  const onSaved = vi.fn();
  renderPage(<CreateUserForm caller={caller} onCancel={() => {}} onSaved={onSaved} />, { client: fake.client, session: ownerSession });
  return { ...fake, onSaved, user: userEvent.setup() };
}

async function fillCreate(user: ReturnType<typeof userEvent.setup>, password = 'a long enough secret') {
  await user.type(screen.getByLabelText(/^Email/), 'ana@acme.test');
  await user.type(screen.getByLabelText(/^Display name/), 'Ana');
  await user.selectOptions(screen.getByLabelText(/^Role/), 'SUPERVISOR');
  await user.type(screen.getByLabelText(/^Initial password/), password);
}

describe('CreateUserForm', () => {
  it('sends email, name, role and password', async () => {
    const { user, onSaved, executeMutation } = renderCreate([{ data: { createUser: { id: 'u1', email: 'ana@acme.test' } } }]);
    await fillCreate(user);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('ana@acme.test'));
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({
      input: { email: 'ana@acme.test', displayName: 'Ana', role: 'SUPERVISOR', password: 'a long enough secret' },
    });
  });

  it('checks the password rules before sending, and shows them', async () => {
    const { user, executeMutation } = renderCreate([]);
    await fillCreate(user, 'short');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const password = screen.getByLabelText(/^Initial password/);
    await waitFor(() => expect(password).toHaveAttribute('aria-invalid', 'true'));
    expect(password).toHaveAccessibleDescription(expect.stringContaining('Use at least 12 characters.'));
    expect(executeMutation).not.toHaveBeenCalled();
  });

  it('shows a server BAD_USER_INPUT on the password field and keeps the draft', async () => {
    const { user, onSaved } = renderCreate([
      { error: gqlError('BAD_USER_INPUT', 'password: password must be at least 12 characters', { field: 'password' }) },
    ]);
    await fillCreate(user);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const password = screen.getByLabelText(/^Initial password/);
    await waitFor(() => expect(password).toHaveAttribute('aria-invalid', 'true'));
    expect(password).toHaveAccessibleDescription(expect.stringContaining('password must be at least 12 characters'));
    expect(screen.getByLabelText(/^Email/)).toHaveValue('ana@acme.test');
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('marks a duplicate email and says what conflicts', async () => {
    const { user } = renderCreate([
      { error: gqlError('CONFLICT', 'email ana@acme.test is already in use in this tenant', { field: 'email' }) },
    ]);
    await fillCreate(user);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('email ana@acme.test is already in use in this tenant');
    expect(screen.getByLabelText(/^Email/)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText(/^Email/)).toHaveAccessibleDescription('Already in use.');
  });

  it('offers Retry after a network error', async () => {
    const { user, onSaved } = renderCreate([{ error: networkError() }, { data: { createUser: { id: 'u1', email: 'ana@acme.test' } } }]);
    await fillCreate(user);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
  });

  it('does not offer the owner role to an admin', () => {
    renderCreate([], 'admin');
    const options = within(screen.getByLabelText(/^Role/)).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['Admin', 'Supervisor', 'Agent']);
  });
});

describe('EditUserForm', () => {
  it("shows the server's refusal of a change to one's own role on the role field", async () => {
    const fake = fakeClient({
      mutation: () => ({ error: gqlError('BAD_USER_INPUT', 'you cannot change your own role', { field: 'role' }) }),
    });
    renderPage(
      <EditUserForm
        user={{ id: 'VXNlcjox', email: 'owner@acme.test', displayName: 'Olive', role: 'owner' }}
        caller="owner"
        onCancel={() => {}}
        onSaved={() => {}}
      />,
      { client: fake.client, session: ownerSession },
    );
    const user = userEvent.setup();
    expect(screen.getByLabelText(/^Display name/)).toHaveValue('Olive');
    await user.selectOptions(screen.getByLabelText(/^Role/), 'AGENT');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const role = screen.getByLabelText(/^Role/);
    await waitFor(() => expect(role).toHaveAccessibleDescription('you cannot change your own role'));
    expect(role).toHaveValue('AGENT');
    expect(fake.executeMutation.mock.calls[0]?.[0].variables).toEqual({ input: { id: 'VXNlcjox', displayName: 'Olive', role: 'AGENT' } });
  });
});

describe('UsersPage', () => {
  const users = {
    data: {
      users: {
        nodes: [
          { id: 'VXNlcjox', email: 'owner@acme.test', displayName: 'Olive', role: 'owner', active: true, createdAt: '2025-03-01T09:30:00+00:00', lastLoginAt: '2025-03-02T10:00:00+00:00' },
          { id: 'VXNlcjoy', email: 'ana@acme.test', displayName: 'Ana', role: 'agent', active: true, createdAt: '2025-03-01T09:30:00+00:00', lastLoginAt: null },
          { id: 'VXNlcjoz', email: 'old@acme.test', displayName: 'Old', role: 'agent', active: false, createdAt: '2025-03-01T09:30:00+00:00', lastLoginAt: null },
        ],
        pageInfo: { hasNextPage: false, endCursor: null },
      },
    },
  };

  it('lists users with role and state, and searches', async () => {
    const { client } = fakeClient({ query: () => users });
    renderPage(<UsersPage />, { client, session: ownerSession, path: '/admin/users' });
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Users' });
    const old = within(table).getByRole('row', { name: /old@acme\.test/ });
    expect(old).toHaveTextContent('Deactivated');
    expect(within(old).queryByRole('button', { name: 'Deactivate' })).not.toBeInTheDocument();
    expect(within(table).getByRole('row', { name: /ana@acme\.test/ })).toHaveTextContent('Never');
    await user.type(screen.getByLabelText('Search'), 'olive');
    expect(within(table).queryByRole('rowheader', { name: 'ana@acme.test' })).not.toBeInTheDocument();
    expect(within(table).getByRole('rowheader', { name: 'owner@acme.test' })).toBeInTheDocument();
  });

  it("hides an owner's actions from an admin", async () => {
    const { client } = fakeClient({ query: () => users });
    renderPage(<UsersPage />, { client, session: adminSession });
    const table = await screen.findByRole('table', { name: 'Users' });
    const owner = within(table).getByRole('row', { name: /owner@acme\.test/ });
    expect(within(owner).queryByRole('button')).not.toBeInTheDocument();
    expect(within(within(table).getByRole('row', { name: /ana@acme\.test/ })).getByRole('button', { name: 'Edit' })).toBeInTheDocument();
  });

  it("deactivates after a confirmation, and shows the server's refusal in the dialog", async () => {
    const replies: FakeAnswer[] = [
      { error: gqlError('BAD_USER_INPUT', 'you cannot deactivate yourself', { field: 'id' }) },
      { data: { deactivateUser: { id: 'VXNlcjoy', active: false } } },
    ];
    const { client, executeMutation, executeQuery } = fakeClient({ query: () => users, mutation: () => replies.shift() });
    renderPage(<UsersPage />, { client, session: ownerSession });
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Users' });

    await user.click(within(within(table).getByRole('row', { name: /owner@acme\.test/ })).getByRole('button', { name: 'Deactivate' }));
    let confirm = await screen.findByRole('alertdialog', { name: 'Deactivate owner@acme.test?' });
    await user.click(within(confirm).getByRole('button', { name: 'Deactivate' }));
    expect(await within(confirm).findByRole('alert')).toHaveTextContent('you cannot deactivate yourself');
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));

    await user.click(within(within(table).getByRole('row', { name: /ana@acme\.test/ })).getByRole('button', { name: 'Deactivate' }));
    confirm = await screen.findByRole('alertdialog', { name: 'Deactivate ana@acme.test?' });
    const queries = executeQuery.mock.calls.length;
    await user.click(within(confirm).getByRole('button', { name: 'Deactivate' }));
    expect(await screen.findByText('User ana@acme.test deactivated.')).toBeInTheDocument();
    expect(operationName(executeMutation.mock.calls[1]?.[0] as GraphQLRequest)).toBe('DeactivateUser');
    expect(executeQuery.mock.calls.length).toBeGreaterThan(queries);
  });
});
