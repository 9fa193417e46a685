import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { fakeClient, gqlError, operationName, ownerSession, renderPage, type FakeAnswer } from '../../test/render';
import TicketCategoriesPage from './TicketCategoriesPage';
import { TicketCategoryForm } from './ticketCategories/TicketCategoryForm';
import type { StoredCategory } from './ticketCategories/categoryDraft';

const teams = { data: { teams: [{ id: 'team-1', name: 'Billing desk' }, { id: 'team-2', name: 'Field service' }] } };

const stored: StoredCategory = {
  id: 'tc1',
  name: 'Repair',
  fields: [{ key: 'serial', label: 'Serial number', type: 'TEXT', required: true, default: null, options: [] }],
  steps: [
    { name: 'Triage', role: 'supervisor', slaSeconds: 1800, team: null },
    { name: 'Fix', role: null, slaSeconds: 2 * 86400, team: { id: 'team-2' } },
  ],
};

function renderForm(answers: FakeAnswer[], category: StoredCategory | null = null) {
  const replies = [...answers];
  const fake = fakeClient({ query: () => teams, mutation: () => replies.shift() });
  const onSaved = vi.fn();
  renderPage(<TicketCategoryForm category={category} onCancel={() => {}} onSaved={onSaved} />, { client: fake.client, session: ownerSession });
  return { ...fake, onSaved, user: userEvent.setup() };
}

const SLA_LABEL = /^SLA( \*)?$/;
const step = (n: number) => screen.getByRole('group', { name: `Step ${n}` });

async function fillStep(user: ReturnType<typeof userEvent.setup>, n: number, name: string, sla: string, unit: string, owner: { team?: string; role?: string }) {
  const group = step(n);
  await user.type(within(group).getByLabelText(/^Step name/), name);
  if (owner.team) await user.selectOptions(within(group).getByLabelText('Owner team'), owner.team);
  if (owner.role) await user.selectOptions(within(group).getByLabelText('Owner role'), owner.role);
  await user.type(within(group).getByLabelText(SLA_LABEL), sla);
  await user.selectOptions(within(group).getByLabelText('SLA unit'), unit);
}

describe('TicketCategoryForm', () => {
  it('builds a three-step workflow, reorders it by keyboard, and sends the steps in the new order', async () => {
    const { user, onSaved, executeMutation } = renderForm([{ data: { createTicketCategory: { id: 'tc1', name: 'Repair' } } }]);
    await user.type(screen.getByLabelText(/^Name/), 'Repair');
    await within(step(1)).findByRole('option', { name: 'Billing desk' });
    await fillStep(user, 1, 'Triage', '30', 'minutes', { role: 'SUPERVISOR' });
    await user.click(screen.getByRole('button', { name: 'Add step' }));
    expect(within(step(2)).getByLabelText(/^Step name/)).toHaveFocus();
    await fillStep(user, 2, 'Fix', '48', 'hours', { team: 'Field service' });
    await user.click(screen.getByRole('button', { name: 'Add step' }));
    await fillStep(user, 3, 'Verify', '2', 'hours', { team: 'Billing desk', role: 'AGENT' });

    // "Verify" goes first: Move up twice, by keyboard; the focus follows the step.
    within(step(3)).getByRole('button', { name: 'Move up' }).focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(within(step(2)).getByRole('button', { name: 'Move up' })).toHaveFocus());
    await user.keyboard('{Enter}');
    await waitFor(() => expect(within(step(1)).getByRole('button', { name: 'Move down' })).toHaveFocus());
    expect(within(step(1)).getByLabelText(/^Step name/)).toHaveValue('Verify');
    expect(within(step(1)).getByRole('button', { name: 'Move up' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('Repair', true));
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({
      input: {
        name: 'Repair',
        fields: [],
        steps: [
          { name: 'Verify', slaSeconds: 7200, teamId: 'team-1', role: 'AGENT' },
          { name: 'Triage', slaSeconds: 1800, teamId: null, role: 'SUPERVISOR' },
          { name: 'Fix', slaSeconds: 172800, teamId: 'team-2', role: null },
        ],
      },
    });
  }, 30_000);

  it("shows the server's error on a nested step field next to that step's SLA, and keeps the draft", async () => {
    const { user, onSaved } = renderForm(
      [
        {
          error: gqlError('BAD_USER_INPUT', 'steps.1.sla_seconds: Input should be less than or equal to 31536000', {
            field: 'steps.1.sla_seconds',
          }),
        },
      ],
      stored,
    );
    const sla = within(step(2)).getByLabelText(SLA_LABEL);
    expect(sla).toHaveValue('48');
    await user.clear(sla);
    await user.type(sla, '9000');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(sla).toHaveAttribute('aria-invalid', 'true'));
    expect(sla).toHaveAccessibleDescription(expect.stringContaining('Input should be less than or equal to 31536000'));
    expect(sla).toHaveFocus();
    expect(sla).toHaveValue('9000');
    expect(within(step(1)).getByLabelText(SLA_LABEL)).not.toHaveAttribute('aria-invalid');
    expect(screen.getByLabelText(/^Name/)).toHaveValue('Repair');
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('puts "a step needs a team or a role" (steps.N) on that step\'s owner', async () => {
    const { user } = renderForm(
      [{ error: gqlError('BAD_USER_INPUT', 'steps.0: a step needs a team or a role', { field: 'steps.0' }) }],
      stored,
    );
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const team = within(step(1)).getByLabelText('Owner team');
    await waitFor(() => expect(team).toHaveAttribute('aria-invalid', 'true'));
    expect(team).toHaveAccessibleDescription('steps.0: a step needs a team or a role');
  });

  it('checks a step owner, the SLA and field choices before sending', async () => {
    const { user, executeMutation } = renderForm([]);
    await user.type(screen.getByLabelText(/^Name/), 'Returns');
    await user.type(within(step(1)).getByLabelText(/^Step name/), 'Receive');
    await user.type(within(step(1)).getByLabelText(SLA_LABEL), '0');
    await user.click(screen.getByRole('button', { name: 'Add field' }));
    const field = screen.getByRole('group', { name: 'Field 1' });
    expect(within(field).getByLabelText(/^Key/)).toHaveFocus();
    await user.type(within(field).getByLabelText(/^Key/), 'reason');
    await user.type(within(field).getByLabelText(/^Label/), 'Reason');
    await user.selectOptions(within(field).getByLabelText(/^Type/), 'SELECT');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await within(step(1)).findByText('Choose a team, a role, or both.')).toBeInTheDocument();
    expect(within(step(1)).getByLabelText(SLA_LABEL)).toHaveAccessibleDescription(expect.stringContaining('Enter a number above 0.'));
    expect(within(field).getByLabelText(/^Choices/)).toHaveAttribute('aria-invalid', 'true');
    expect(executeMutation).not.toHaveBeenCalled();
  });

  it('shows no error before Save, not even on an added field or step or after a move', async () => {
    const { user } = renderForm([]);
    await user.click(screen.getByRole('button', { name: 'Add field' }));
    const field = screen.getByRole('group', { name: 'Field 1' });
    await user.type(within(field).getByLabelText(/^Key/), 'serial');
    await user.click(within(field).getByLabelText(/^Label/));
    expect(within(field).getByLabelText(/^Label/)).not.toHaveAttribute('aria-invalid');
    await user.click(screen.getByRole('button', { name: 'Add step' }));
    await user.click(within(step(2)).getByRole('button', { name: 'Move up' }));
    // Nothing is checked before Save: no error appears (and shifts a button) on the way.
    expect(screen.queryByText('Fill this in.')).not.toBeInTheDocument();
  });

  it('loads a stored category: SLAs in hours or minutes, owners, fields; the only step cannot be removed', async () => {
    const { user, executeMutation, onSaved } = renderForm([{ data: { updateTicketCategory: { id: 'tc1', name: 'Repair' } } }], stored);
    expect(within(step(1)).getByLabelText(SLA_LABEL)).toHaveValue('30');
    expect(within(step(1)).getByLabelText('SLA unit')).toHaveValue('minutes');
    expect(within(step(1)).getByLabelText('Owner role')).toHaveValue('SUPERVISOR');
    await waitFor(() => expect(within(step(2)).getByLabelText('Owner team')).toHaveValue('team-2'));
    expect(within(step(2)).getByLabelText('SLA unit')).toHaveValue('hours');
    expect(within(screen.getByRole('group', { name: 'Field 1' })).getByLabelText(/^Key/)).toHaveValue('serial');

    await user.click(within(step(2)).getByRole('button', { name: 'Remove step' }));
    expect(screen.queryByRole('group', { name: 'Step 2' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add step' })).toHaveFocus();
    expect(within(step(1)).getByRole('button', { name: 'Remove step' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('Repair', false));
    const request = executeMutation.mock.calls[0]?.[0];
    expect(request && operationName(request)).toBe('UpdateTicketCategory');
    expect(request?.variables).toEqual({
      id: 'tc1',
      input: {
        name: 'Repair',
        fields: [{ key: 'serial', label: 'Serial number', type: 'TEXT', required: true, options: null, default: null, position: 0 }],
        steps: [{ name: 'Triage', slaSeconds: 1800, teamId: null, role: 'SUPERVISOR' }],
      },
    });
  });
});

describe('TicketCategoriesPage', () => {
  it('lists the categories with their workflows and filters by the search box', async () => {
    const { client } = fakeClient({
      query: (request) =>
        operationName(request) === 'AdminTicketCategories'
          ? {
              data: {
                ticketCategories: [
                  { ...stored, steps: stored.steps.map((s, i) => ({ ...s, id: `st${i}`, position: i, team: s.team ? { id: s.team.id, name: 'Field service' } : null })) },
                  { id: 'tc2', name: 'Complaint', fields: [], steps: [{ id: 'st9', name: 'Answer', position: 0, role: 'agent', slaSeconds: 3600, team: null }] },
                ],
              },
            }
          : teams,
    });
    renderPage(<TicketCategoriesPage />, { client, session: ownerSession, path: '/admin/ticket-categories' });
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Ticket categories' });
    expect(within(table).getByRole('row', { name: /Repair/ })).toHaveTextContent('Triage → Fix');
    expect(within(table).getByRole('row', { name: /Repair/ })).toHaveTextContent('1 field');
    await user.type(screen.getByLabelText('Search'), 'compl');
    expect(within(table).queryByRole('rowheader', { name: 'Repair' })).not.toBeInTheDocument();
    expect(within(table).getByRole('rowheader', { name: 'Complaint' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Create ticket category' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create ticket category' });
    expect(within(dialog).getByLabelText(/^Name/)).toHaveFocus();
    expect(within(dialog).getAllByRole('group', { name: /^Step/ })).toHaveLength(1);
  });
});
