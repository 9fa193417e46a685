import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { fakeClient, gqlError, renderPage } from '../test/render';
import { RequireSession } from './session';

describe('RequireSession', () => {
  it('sends an expired session to log in, keeping the page to return to', async () => {
    const { client } = fakeClient({ query: () => ({ error: gqlError('UNAUTHENTICATED', 'token expired') }) });
    renderPage(<RequireSession />, { client, path: '/admin/skills?q=bil', route: '/admin/*' });
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent('/login?next=%2Fadmin%2Fskills%3Fq%3Dbil'),
    );
  });

  it('offers Retry when the server cannot be reached', async () => {
    const { client } = fakeClient({ query: () => ({ error: gqlError('INTERNAL', 'internal error') }) });
    renderPage(<RequireSession />, { client, path: '/admin' });
    expect(await screen.findByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
