import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { fakeClient, gqlError, operationName, ownerSession, renderPage, type FakeAnswer } from '../../test/render';
import AgentProfilesPage, { AgentProfileForm } from './AgentProfilesPage';

const skills = [
  { id: 'k1', name: 'Billing' },
  { id: 'k2', name: 'French' },
];
const queues = [
  { id: 'q1', name: 'Support' },
  { id: 'q2', name: 'Sales' },
];
const profile = {
  id: 'p1',
  userId: 'u1',
  displayName: 'Ada Agent',
  role: 'agent',
  sipUser: 'ada',
  skills: [{ skill: { id: 'k2', name: 'French' }, level: 7 }],
  queues: [{ id: 'q2', name: 'Sales' }],
  createdAt: '2025-03-01T09:30:00+00:00',
};

function renderForm(answers: FakeAnswer[], editing: typeof profile | null = null) {
  const replies = [...answers];
  const fake = fakeClient({ mutation: () => replies.shift() });
  const onSaved = vi.fn();
  renderPage(
    <AgentProfileForm
      profile={editing}
      users={[{ id: 'u2', label: 'Bo Agent (bo@acme.test)' }]}
      skills={skills}
      queues={queues}
      onCancel={() => {}}
      onSaved={onSaved}
    />,
    { client: fake.client, session: ownerSession },
  );
  return { ...fake, onSaved, user: userEvent.setup() };
}

describe('AgentProfileForm', { timeout: 15_000 }, () => {
  it('creates a profile for a user with skill levels and queues', async () => {
    const { user, onSaved, executeMutation } = renderForm([{ data: { createAgentProfile: { id: 'p2', displayName: 'Bo Agent' } } }]);
    await user.selectOptions(screen.getByLabelText(/^User/), 'u2');
    await user.click(screen.getByRole('button', { name: 'Add skill' }));
    await user.selectOptions(screen.getByLabelText('Level'), '6');
    await user.click(screen.getByLabelText('Support'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('Bo Agent', true));
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({
      input: { userId: 'u2', skills: [{ skillId: 'k1', level: 6 }], queueIds: ['q1'], sipUser: null },
    });
  });

  it('asks for a user before sending', async () => {
    const { user, executeMutation } = renderForm([]);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByLabelText(/^User/)).toHaveAttribute('aria-invalid', 'true'));
    expect(executeMutation).not.toHaveBeenCalled();
  });

  it('edits a profile and shows a taken SIP user on its field', async () => {
    const { user, onSaved, executeMutation } = renderForm(
      [{ error: gqlError('CONFLICT', 'this SIP user name is already taken', { field: 'sipUser' }) }],
      profile,
    );
    expect(screen.queryByLabelText(/^User/)).not.toBeInTheDocument();
    expect(screen.getByLabelText('Skill')).toHaveValue('k2');
    expect(screen.getByLabelText('Level')).toHaveValue('7');
    expect(screen.getByLabelText('Sales')).toBeChecked();
    expect(screen.getByLabelText('Support')).not.toBeChecked();
    await user.clear(screen.getByLabelText('SIP user'));
    await user.type(screen.getByLabelText('SIP user'), 'bo');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('this SIP user name is already taken');
    expect(screen.getByLabelText('SIP user')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('SIP user')).toHaveValue('bo');
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({
      input: { id: 'p1', skills: [{ skillId: 'k2', level: 7 }], queueIds: ['q2'], sipUser: 'bo' },
    });
    expect(onSaved).not.toHaveBeenCalled();
  });
});

describe('AgentProfilesPage', { timeout: 15_000 }, () => {
  it('lists profiles, and offers only agents and supervisors without one', async () => {
    const { client } = fakeClient({
      query: (request) => {
        if (operationName(request) === 'AgentProfileOptions') {
          return {
            data: {
              users: {
                nodes: [
                  { id: 'u1', email: 'ada@acme.test', displayName: 'Ada Agent', role: 'agent' },
                  { id: 'u2', email: 'sam@acme.test', displayName: 'Sam Super', role: 'supervisor' },
                  { id: 'u3', email: 'al@acme.test', displayName: 'Al Admin', role: 'admin' },
                ],
              },
              skills: { nodes: skills },
              queues: { nodes: queues },
              agentProfiles: { nodes: [{ id: 'p1', userId: 'u1' }] },
            },
          };
        }
        return { data: { agentProfiles: { nodes: [profile], pageInfo: { hasNextPage: false, endCursor: null } } } };
      },
    });
    renderPage(<AgentProfilesPage />, { client, session: ownerSession, path: '/admin/agents' });
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Agent profiles' });
    const row = within(table).getByRole('row', { name: /Ada Agent/ });
    expect(row).toHaveTextContent('French 7');
    expect(row).toHaveTextContent('Sales');
    await user.click(screen.getByRole('button', { name: 'Create agent profile' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create agent profile' });
    const picker = await within(dialog).findByLabelText(/^User/);
    expect(within(picker).getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose a user', 'Sam Super (sam@acme.test)']);
  });
});
