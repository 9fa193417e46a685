import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { fakeClient, gqlError, operationName, ownerSession, renderPage, type FakeAnswer } from '../../test/render';
import CallFlowsPage from './CallFlowsPage';

const DRAFT = {
  start: 'menu1',
  nodes: {
    menu1: { type: 'menu', prompt: 'p1', options: { '1': 'sales', '2': 'support' }, fallback: 'sales' },
    sales: { type: 'enqueue', queue: 'q1' },
  },
};

function renderFlows(mutations: FakeAnswer[]) {
  const replies = [...mutations];
  const fake = fakeClient({
    query: (request) =>
      operationName(request) === 'CallFlowDraft'
        ? { data: { callFlow: { id: 'f1', name: 'Front door', draft: DRAFT, publishedVersionId: null, versions: { nodes: [] } } } }
        : {
            data: {
              callFlows: {
                nodes: [{ id: 'f1', name: 'Front door', publishedVersionId: null, updatedAt: '2026-12-04T09:30:00+00:00' }],
                pageInfo: { hasNextPage: false, endCursor: null },
              },
            },
          },
    mutation: () => replies.shift(),
  });
  renderPage(<CallFlowsPage />, { client: fake.client, session: ownerSession });
  return { ...fake, user: userEvent.setup() };
}

async function openEditor(user: ReturnType<typeof userEvent.setup>) {
  const row = await screen.findByRole('row', { name: /Front door/ });
  await user.click(within(row).getByRole('button', { name: 'Edit' }));
  return screen.findByRole('region', { name: 'Editing Front door' });
}

describe('CallFlowsPage', () => {
  it('lists flows and edits the draft as a list of nodes', async () => {
    const { user } = renderFlows([]);
    const editor = await openEditor(user);
    expect(within(editor).getByRole('group', { name: 'Node menu1' })).toBeInTheDocument();
    expect(within(editor).getByRole('group', { name: 'Node sales' })).toBeInTheDocument();
    expect(within(editor).getByLabelText(/^Start node/)).toHaveValue('menu1');
    expect(within(editor).getByText('Never published: numbers cannot run it yet.')).toBeInTheDocument();
  });

  it('shows a server error on the node it names and keeps the draft', async () => {
    const { user, executeMutation } = renderFlows([
      { error: gqlError('BAD_USER_INPUT', 'node menu1: options.2 goes to node support, which does not exist', { field: 'nodes.menu1.options.2' }) },
    ]);
    const editor = await openEditor(user);
    await user.click(within(editor).getByRole('button', { name: 'Save draft' }));
    const menu = within(editor).getByRole('group', { name: 'Node menu1' });
    const fields = within(menu).getByLabelText(/^Fields/);
    await waitFor(() => expect(fields).toHaveAttribute('aria-invalid', 'true'));
    expect(fields).toHaveAccessibleDescription(expect.stringContaining('node menu1: options.2 goes to node support'));
    expect(within(within(editor).getByRole('group', { name: 'Node sales' })).getByLabelText(/^Fields/)).not.toHaveAttribute('aria-invalid');
    expect(executeMutation).toHaveBeenCalledTimes(1);
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({ input: { id: 'f1', draft: DRAFT } });
  });

  it('refuses JSON that does not parse before sending', async () => {
    const { user, executeMutation } = renderFlows([]);
    const editor = await openEditor(user);
    const sales = within(editor).getByRole('group', { name: 'Node sales' });
    const fields = within(sales).getByLabelText(/^Fields/);
    await user.clear(fields);
    await user.type(fields, 'nope');
    await user.click(within(editor).getByRole('button', { name: 'Save draft' }));
    expect(await within(sales).findByText('This is not a JSON object.')).toBeInTheDocument();
    expect(executeMutation).not.toHaveBeenCalled();
  });

  it('saves, then publishes, and says which version is live', async () => {
    const { user, executeMutation } = renderFlows([
      { data: { updateCallFlowDraft: { id: 'f1', draft: DRAFT } } },
      { data: { publishCallFlow: { id: 'v1', number: 1 } } },
    ]);
    const editor = await openEditor(user);
    await user.click(within(editor).getByRole('button', { name: 'Publish' }));
    expect(await within(editor).findByText('Front door published as version 1.')).toBeInTheDocument();
    expect(within(editor).getByText('New calls run version 1.')).toBeInTheDocument();
    expect(executeMutation.mock.calls.map((call) => operationName(call[0]))).toEqual(['UpdateCallFlowDraft', 'PublishCallFlow']);
  });
});
