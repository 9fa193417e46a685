import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { fakeClient, gqlError, networkError, ownerSession, renderPage, type FakeAnswer } from '../../test/render';
import SkillsPage, { SkillForm } from './SkillsPage';

function renderForm(answers: FakeAnswer[]) {
  const replies = [...answers];
  const fake = fakeClient({ mutation: () => replies.shift() });
  const onSaved = vi.fn();
  renderPage(<SkillForm skill={null} onCancel={() => {}} onSaved={onSaved} />, { client: fake.client, session: ownerSession });
  return { ...fake, onSaved, user: userEvent.setup() };
}

describe('SkillForm', () => {
  it('shows a BAD_USER_INPUT on the field it names, linked to it, and keeps the draft', async () => {
    const { user, onSaved } = renderForm([
      { error: gqlError('BAD_USER_INPUT', 'name: String should have at most 80 characters', { field: 'name' }) },
    ]);
    const name = screen.getByLabelText(/^Name/);
    await user.type(name, 'Billing');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(name).toHaveAttribute('aria-invalid', 'true'));
    expect(name).toHaveAccessibleDescription('name: String should have at most 80 characters');
    expect(name).toHaveValue('Billing');
    expect(name).toHaveFocus();
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('checks the rules before sending', async () => {
    const { user, executeMutation } = renderForm([]);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Fill this in.')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Name/)).toHaveAccessibleDescription('Fill this in.');
    expect(executeMutation).not.toHaveBeenCalled();
  });

  it('says what conflicts', async () => {
    const { user } = renderForm([{ error: gqlError('CONFLICT', "a skill named 'Billing' already exists", { field: 'name' }) }]);
    await user.type(screen.getByLabelText(/^Name/), 'Billing');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent("This conflicts with what exists: a skill named 'Billing' already exists");
    expect(screen.getByLabelText(/^Name/)).toHaveValue('Billing');
  });

  it('offers Retry after a network error and sends the draft again', async () => {
    const { user, onSaved, executeMutation } = renderForm([
      { error: networkError() },
      { data: { createSkill: { id: 's1', name: 'Billing' } } },
    ]);
    await user.type(screen.getByLabelText(/^Name/), 'Billing');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('What you typed is kept');
    expect(screen.getByLabelText(/^Name/)).toHaveValue('Billing');

    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('Billing', true));
    expect(executeMutation).toHaveBeenCalledTimes(2);
    expect(executeMutation.mock.calls[1]?.[0].variables).toEqual({ input: { name: 'Billing' } });
  });
});

describe('SkillsPage', () => {
  const skills = (names: string[], hasNextPage = false) => ({
    data: {
      skills: {
        nodes: names.map((name, i) => ({ id: `s${i}`, name, createdAt: '2025-03-01T09:30:00+00:00', updatedAt: '2025-03-01T09:30:00+00:00' })),
        pageInfo: { hasNextPage, endCursor: hasNextPage ? 'cursor-1' : null },
      },
    },
  });

  it('lists, filters by the search box, and pages with first/after', async () => {
    const { client, executeQuery } = fakeClient({
      query: (request) => (request.variables as { after?: string | null }).after ? skills(['Spanish']) : skills(['Billing', 'French'], true),
    });
    renderPage(<SkillsPage />, { client, session: ownerSession, path: '/admin/skills' });
    const user = userEvent.setup();

    const table = await screen.findByRole('table', { name: 'Skills' });
    expect(within(table).getByRole('rowheader', { name: 'Billing' })).toBeInTheDocument();
    await user.type(screen.getByLabelText('Search'), 'fre');
    expect(within(table).queryByRole('rowheader', { name: 'Billing' })).not.toBeInTheDocument();
    expect(within(table).getByRole('rowheader', { name: 'French' })).toBeInTheDocument();
    await user.clear(screen.getByLabelText('Search'));

    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await within(table).findByRole('rowheader', { name: 'Spanish' })).toBeInTheDocument();
    expect(executeQuery.mock.calls.at(-1)?.[0].variables).toEqual({ first: 25, after: 'cursor-1' });
    await user.click(screen.getByRole('button', { name: 'Previous' }));
    expect(await within(table).findByRole('rowheader', { name: 'Billing' })).toBeInTheDocument();
  });

  it('opens the create dialog from "Create skill"', async () => {
    const { client } = fakeClient({ query: () => skills([]) });
    renderPage(<SkillsPage />, { client, session: ownerSession });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Create skill' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create skill' });
    expect(within(dialog).getByLabelText(/^Name/)).toHaveFocus();
  });
});
