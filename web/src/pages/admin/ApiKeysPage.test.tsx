import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { fakeClient, gqlError, networkError, operationName, ownerSession, renderPage, type FakeAnswer } from '../../test/render';
import ApiKeysPage, { CreateApiKeyForm } from './ApiKeysPage';

const SECRET = 'hk_ab12cd34_0123456789abcdef0123456789abcdef';

function keys(nodes: Record<string, unknown>[]) {
  return { data: { apiKeys: { nodes, pageInfo: { hasNextPage: false, endCursor: null } } } };
}

const listed = keys([
  { id: 'k1', name: 'CRM sync', prefix: 'hk_ab12cd34', role: 'admin', createdAt: '2025-03-01T09:30:00+00:00', lastUsedAt: null, revokedAt: null },
  { id: 'k2', name: 'Old wallboard', prefix: 'hk_ffff0000', role: 'supervisor', createdAt: '2025-02-01T09:30:00+00:00', lastUsedAt: '2025-02-03T08:00:00+00:00', revokedAt: '2025-02-04T08:00:00+00:00' },
]);

describe('CreateApiKeyForm', () => {
  function renderForm(answers: FakeAnswer[]) {
    const replies = [...answers];
    const fake = fakeClient({ mutation: () => replies.shift() });
    const onCreated = vi.fn();
    renderPage(<CreateApiKeyForm caller="admin" onCancel={() => {}} onCreated={onCreated} />, { client: fake.client, session: ownerSession });
    return { ...fake, onCreated, user: userEvent.setup() };
  }

  it('sends the name and role and hands back the secret', async () => {
    const { user, onCreated, executeMutation } = renderForm([
      { data: { createApiKey: { apiKey: { id: 'k1', name: 'CRM sync', prefix: 'hk_ab12cd34' }, secret: SECRET } } },
    ]);
    expect(within(screen.getByLabelText(/^Role/)).queryByRole('option', { name: 'Owner' })).not.toBeInTheDocument();
    await user.type(screen.getByLabelText(/^Name/), 'CRM sync');
    await user.selectOptions(screen.getByLabelText(/^Role/), 'SUPERVISOR');
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith('CRM sync', SECRET));
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({ input: { name: 'CRM sync', role: 'SUPERVISOR' } });
  });

  it('shows a BAD_USER_INPUT on the name and keeps the draft', async () => {
    const { user, onCreated } = renderForm([
      { error: gqlError('BAD_USER_INPUT', 'name: String should have at most 120 characters', { field: 'name' }) },
    ]);
    const name = screen.getByLabelText(/^Name/);
    await user.type(name, 'CRM sync');
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    await waitFor(() => expect(name).toHaveAttribute('aria-invalid', 'true'));
    expect(name).toHaveAccessibleDescription(expect.stringContaining('name: String should have at most 120 characters'));
    expect(name).toHaveValue('CRM sync');
    expect(onCreated).not.toHaveBeenCalled();
  });

  it('offers Retry after a network error', async () => {
    const { user } = renderForm([{ error: networkError() }]);
    await user.type(screen.getByLabelText(/^Name/), 'CRM sync');
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
    expect(screen.getByLabelText(/^Name/)).toHaveValue('CRM sync');
  });
});

describe('ApiKeysPage', () => {
  it('lists keys with prefix, last use and revoked state', async () => {
    const { client } = fakeClient({ query: () => listed });
    renderPage(<ApiKeysPage />, { client, session: ownerSession, path: '/admin/api-keys' });
    const table = await screen.findByRole('table', { name: 'API keys' });
    const crm = within(table).getByRole('row', { name: /CRM sync/ });
    expect(crm).toHaveTextContent('hk_ab12cd34');
    expect(crm).toHaveTextContent('Never');
    expect(within(crm).getByRole('button', { name: 'Revoke' })).toBeInTheDocument();
    const old = within(table).getByRole('row', { name: /Old wallboard/ });
    expect(old).toHaveTextContent('Revoked Feb 4, 2025');
    expect(within(old).queryByRole('button', { name: 'Revoke' })).not.toBeInTheDocument();
  });

  it('shows the new secret once, with a copy button, until Done', async () => {
    const { client } = fakeClient({
      query: () => listed,
      mutation: () => ({ data: { createApiKey: { apiKey: { id: 'k3', name: 'Script', prefix: 'hk_ab12cd34' }, secret: SECRET } } }),
    });
    renderPage(<ApiKeysPage />, { client, session: ownerSession });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Create API key' }));
    const form = await screen.findByRole('dialog', { name: 'Create API key' });
    await user.type(within(form).getByLabelText(/^Name/), 'Script');
    await user.click(within(form).getByRole('button', { name: 'Create key' }));

    const shown = await screen.findByRole('alertdialog', { name: 'Your new key Script' });
    const secret = within(shown).getByLabelText('Secret key');
    expect(secret).toHaveValue(SECRET);
    expect(secret).toHaveAttribute('readonly');
    expect(shown).toHaveTextContent('you will not see it again');
    await user.click(within(shown).getByRole('button', { name: 'Copy' }));
    expect(await within(shown).findByText('Copied to the clipboard.')).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe(SECRET);

    await user.click(within(shown).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(screen.queryByDisplayValue(SECRET)).not.toBeInTheDocument();
    expect(screen.getByText('API key Script created.')).toBeInTheDocument();
  });

  it('revokes after a confirmation', async () => {
    const { client, executeMutation } = fakeClient({
      query: () => listed,
      mutation: () => ({ data: { revokeApiKey: { id: 'k1', revokedAt: '2025-03-05T00:00:00+00:00' } } }),
    });
    renderPage(<ApiKeysPage />, { client, session: ownerSession });
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'API keys' });
    await user.click(within(within(table).getByRole('row', { name: /CRM sync/ })).getByRole('button', { name: 'Revoke' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Revoke API key CRM sync?' });
    await user.click(within(confirm).getByRole('button', { name: 'Revoke' }));
    expect(await screen.findByText('API key CRM sync revoked.')).toBeInTheDocument();
    const request = executeMutation.mock.calls[0]?.[0];
    expect(request && operationName(request)).toBe('RevokeApiKey');
    expect(request?.variables).toEqual({ id: 'k1' });
  });
});
