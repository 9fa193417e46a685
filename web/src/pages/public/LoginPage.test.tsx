import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { fakeClient, gqlError, operationName, renderPage } from '../../test/render';
import LoginPage from './LoginPage';

describe('LoginPage', () => {
  it('pre-fills the tenant from /t/:slug', async () => {
    renderPage(<LoginPage />, { path: '/t/acme-support', route: '/t/:slug' });
    expect(await screen.findByLabelText(/^Tenant/)).toHaveValue('acme-support');
    expect(screen.getByLabelText(/^Email/)).toHaveValue('');
    expect(screen.getByRole('heading', { name: 'Log in' })).toBeInTheDocument();
  });

  it('starts empty on /login', async () => {
    renderPage(<LoginPage />, { path: '/login', route: '/login' });
    expect(await screen.findByLabelText(/^Tenant/)).toHaveValue('');
  });

  it('logs in without asking for the token, then returns to ?next', async () => {
    const { client, executeMutation } = fakeClient({
      mutation: () => ({ data: { logIn: { user: { id: 'u1', role: 'admin' }, tenant: { id: 't1', slug: 'acme' } } } }),
    });
    renderPage(<LoginPage />, { path: '/t/acme?next=%2Fadmin%2Fskills', route: '/t/:slug', client });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/^Email/), 'ann@acme.test');
    await user.type(screen.getByLabelText(/^Password/), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/admin/skills'));
    const [request, context] = executeMutation.mock.calls[0] ?? [];
    expect(request && operationName(request)).toBe('LogIn');
    expect(request?.variables).toEqual({ input: { tenantSlug: 'acme', email: 'ann@acme.test', password: 'correct horse battery' } });
    expect(context?.authOptional).toBe(true);
    expect(JSON.stringify(request?.query)).not.toMatch(/"token"/);
  });

  it('says the credentials do not match, keeping what was typed', async () => {
    const { client } = fakeClient({ mutation: () => ({ error: gqlError('UNAUTHENTICATED', 'invalid credentials') }) });
    renderPage(<LoginPage />, { path: '/t/acme', route: '/t/:slug', client });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/^Email/), 'ann@acme.test');
    await user.type(screen.getByLabelText(/^Password/), 'wrong password!');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('do not match an active account');
    expect(screen.getByLabelText(/^Email/)).toHaveValue('ann@acme.test');
    expect(screen.getByTestId('location')).toHaveTextContent('/t/acme');
  });
});
