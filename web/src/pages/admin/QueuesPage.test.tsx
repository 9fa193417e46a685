import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { fakeClient, gqlError, networkError, operationName, ownerSession, renderPage, type FakeAnswer } from '../../test/render';
import QueuesPage, { QueueForm } from './QueuesPage';

const skills = [
  { id: 'k1', name: 'Billing' },
  { id: 'k2', name: 'French' },
];

const stored = {
  id: 'q1',
  name: 'Support',
  requiredSkills: [{ skill: { id: 'k2', name: 'French' }, minLevel: 2 }],
  priority: 5,
  slThresholdS: 30,
  shortAbandonS: 8,
  slFormula: 'ANSWERED_ONLY' as const,
  maxWaitS: 300,
  maxWaitAction: 'OVERFLOW' as const,
  overflowQueueId: 'q2',
  wrapupS: 45,
  ringTimeoutS: 25,
  maxSize: 50,
  record: true,
  requireDisposition: false,
  hours: { tz: 'Europe/Paris', windows: [{ day: 'mon', start: '08:00', end: '12:00' }, { day: 'mon', start: '13:00', end: '18:00' }] },
  closedAction: 'OVERFLOW' as const,
  closedCode: 486,
  blacklistCode: 403,
  vipBoost: 10,
  stickyAgentS: 0,
};

function renderForm(answers: FakeAnswer[], queue: typeof stored | null = null) {
  const replies = [...answers];
  const fake = fakeClient({ mutation: () => replies.shift() });
  const onSaved = vi.fn();
  renderPage(
    <QueueForm queue={queue} skills={skills} queues={[{ id: 'q2', name: 'Overflow desk' }]} timeZone="UTC" onCancel={() => {}} onSaved={onSaved} />,
    { client: fake.client, session: ownerSession },
  );
  return { ...fake, onSaved, user: userEvent.setup() };
}

const input = (mock: ReturnType<typeof fakeClient>['executeMutation'], call = 0) =>
  (mock.mock.calls[call]?.[0].variables as { input: Record<string, unknown> }).input;

// The queue form is long: typing into it re-renders many fields, which a loaded CI machine
// runs slowly, so these tests get more than the default 5 s.
describe('QueueForm', { timeout: 20_000 }, () => {
  it('groups every setting in sections and sends them all, hours as one list', async () => {
    const { user, executeMutation, onSaved } = renderForm([{ data: { createQueue: { id: 'q9', name: 'Sales' } } }]);
    for (const section of ['General', 'Service level', 'Timers', 'Overflow', 'Hours']) {
      expect(screen.getByRole('group', { name: section })).toBeInTheDocument();
    }
    await user.type(screen.getByLabelText(/^Name/), 'Sales');
    await user.click(screen.getByRole('button', { name: 'Add required skill' }));
    await user.selectOptions(screen.getByLabelText('Minimum level'), '3');
    const replace = async (label: string, value: string) => {
      await user.clear(screen.getByLabelText(label));
      await user.type(screen.getByLabelText(label), value);
    };
    await replace('Answer threshold T (seconds)', '30');
    await replace('Short abandon S (seconds)', '10');
    await replace('Wrap-up (seconds)', '45');
    await user.click(screen.getByLabelText('Require a disposition'));
    await user.selectOptions(screen.getByLabelText('Service-level formula'), 'ABANDONS_MISSED');
    expect(screen.getByLabelText('Service-level formula')).toHaveAccessibleDescription(/Every abandoned call counts against you/);
    await user.click(screen.getByLabelText('Open only during business hours'));
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('Sales', true));
    expect(input(executeMutation)).toEqual({
      name: 'Sales',
      priority: 0,
      requiredSkills: [{ skillId: 'k1', minLevel: 3 }],
      record: false,
      requireDisposition: true,
      vipBoost: 10,
      stickyAgentS: 0,
      blacklistCode: 403,
      slThresholdS: 30,
      shortAbandonS: 10,
      slFormula: 'ABANDONS_MISSED',
      maxWaitS: 0,
      wrapupS: 45,
      ringTimeoutS: 20,
      maxSize: 0,
      maxWaitAction: 'REJECT',
      overflowQueueId: null,
      hours: {
        tz: 'UTC',
        windows: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, start: '09:00', end: '17:00' })),
      },
      closedAction: 'REJECT',
      closedCode: 480,
    });
  });

  it('checks S ≤ T and the overflow target before sending', async () => {
    const { user, executeMutation } = renderForm([]);
    await user.type(screen.getByLabelText(/^Name/), 'Sales');
    await user.clear(screen.getByLabelText('Short abandon S (seconds)'));
    await user.type(screen.getByLabelText('Short abandon S (seconds)'), '25');
    await user.clear(screen.getByLabelText('Maximum wait (seconds)'));
    await user.type(screen.getByLabelText('Maximum wait (seconds)'), '60');
    await user.selectOptions(screen.getByLabelText('When the maximum wait is reached'), 'OVERFLOW');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('S must not be more than T.')).toBeInTheDocument();
    expect(screen.getByLabelText('Overflow queue')).toHaveAccessibleDescription(/Pick the queue calls overflow to/);
    expect(executeMutation).not.toHaveBeenCalled();
  });

  it('puts a server error on a window of the week in place, and keeps the draft', async () => {
    const { user, onSaved } = renderForm([
      { error: gqlError('BAD_USER_INPUT', "hours.windows.3.end: '25:00' is not a time HH:MM", { field: 'hours.windows.3.end' }) },
    ]);
    await user.type(screen.getByLabelText(/^Name/), 'Sales');
    await user.click(screen.getByLabelText('Open only during business hours'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    // The fourth window sent is Thursday's.
    const thursday = screen.getByLabelText('Thursday Closes');
    await waitFor(() => expect(thursday).toHaveAttribute('aria-invalid', 'true'));
    expect(thursday).toHaveAccessibleDescription("hours.windows.3.end: '25:00' is not a time HH:MM");
    expect(thursday).toHaveFocus();
    expect(screen.getByLabelText(/^Name/)).toHaveValue('Sales');
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('shows a required-skill and a name error on their fields', async () => {
    const { user } = renderForm([
      { error: gqlError('BAD_USER_INPUT', 'requiredSkills.0.skillId: unknown skill', { field: 'requiredSkills.0.skillId' }) },
      { error: gqlError('CONFLICT', "a queue named 'Sales' already exists", { field: 'name' }) },
    ]);
    await user.type(screen.getByLabelText(/^Name/), 'Sales');
    await user.click(screen.getByRole('button', { name: 'Add required skill' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByLabelText('Skill')).toHaveAccessibleDescription('requiredSkills.0.skillId: unknown skill'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent("This conflicts with what exists: a queue named 'Sales' already exists");
  });

  it('offers Retry after a network error', async () => {
    const { user, onSaved } = renderForm([{ error: networkError() }, { data: { createQueue: { id: 'q9', name: 'Sales' } } }]);
    await user.type(screen.getByLabelText(/^Name/), 'Sales');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('Sales', true));
  });

  it('edits a queue: every stored value is shown, and unticking the hours clears them', async () => {
    const { user, executeMutation, onSaved } = renderForm([{ data: { updateQueue: { id: 'q1', name: 'Support' } } }], stored);
    expect(screen.getByLabelText(/^Name/)).toHaveValue('Support');
    expect(screen.getByLabelText('Skill')).toHaveValue('k2');
    expect(screen.getByLabelText('Minimum level')).toHaveValue('2');
    expect(screen.getByLabelText('Record calls')).toBeChecked();
    expect(screen.getByLabelText('Service-level formula')).toHaveValue('ANSWERED_ONLY');
    expect(screen.getByLabelText('Overflow queue')).toHaveValue('q2');
    expect(screen.getByLabelText('Time zone')).toHaveValue('Europe/Paris');
    expect(screen.getAllByLabelText('Monday Opens').map((e) => (e as HTMLInputElement).value)).toEqual(['08:00', '13:00']);
    expect(screen.getByLabelText('When closed')).toHaveValue('OVERFLOW');

    await user.click(screen.getByLabelText('Open only during business hours'));
    await user.selectOptions(screen.getByLabelText('When the maximum wait is reached'), 'CALLBACK');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('Support', false));
    expect(input(executeMutation)).toMatchObject({ id: 'q1', hours: null, maxWaitAction: 'CALLBACK', overflowQueueId: 'q2', closedCode: 486 });
  });
});

describe('QueuesPage', { timeout: 15_000 }, () => {
  const queues = {
    data: {
      queues: {
        nodes: [
          { id: 'q1', name: 'Support', priority: 5, slThresholdS: 30, shortAbandonS: 8, requiredSkills: stored.requiredSkills, hours: { tz: 'Europe/Paris' } },
          { id: 'q2', name: 'Sales', priority: 0, slThresholdS: 20, shortAbandonS: 5, requiredSkills: [], hours: null },
        ],
        pageInfo: { hasNextPage: false, endCursor: null },
      },
    },
  };

  it('lists queues with their thresholds, skills and hours, and searches them', async () => {
    const { client } = fakeClient({ query: () => queues });
    renderPage(<QueuesPage />, { client, session: ownerSession, path: '/admin/queues' });
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Queues' });
    const support = within(table).getByRole('row', { name: /Support/ });
    expect(support).toHaveTextContent('T 30 s, S 8 s');
    expect(support).toHaveTextContent('French ≥ 2');
    expect(support).toHaveTextContent('Business hours (Europe/Paris)');
    expect(within(table).getByRole('row', { name: /Sales/ })).toHaveTextContent('Always open');
    await user.type(screen.getByLabelText('Search'), 'french');
    expect(within(table).queryByRole('rowheader', { name: 'Sales' })).not.toBeInTheDocument();
  });

  it('opens the editor with the queue read from the server', async () => {
    const { client, executeQuery } = fakeClient({
      query: (request) => {
        const name = operationName(request);
        if (name === 'AdminQueue') return { data: { queue: stored } };
        if (name === 'QueueFormOptions') return { data: { skills: { nodes: skills }, queues: { nodes: [{ id: 'q1', name: 'Support' }, { id: 'q2', name: 'Sales' }] } } };
        return queues;
      },
    });
    renderPage(<QueuesPage />, { client, session: ownerSession });
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Queues' });
    await user.click(within(within(table).getByRole('row', { name: /Support/ })).getByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit queue' });
    expect(await within(dialog).findByLabelText(/^Name/)).toHaveValue('Support');
    // A queue cannot overflow to itself.
    expect(within(within(dialog).getByLabelText('Overflow queue')).queryByRole('option', { name: 'Support' })).not.toBeInTheDocument();
    expect(executeQuery.mock.calls.some(([request]) => operationName(request) === 'AdminQueue' && (request.variables as { id: string }).id === 'q1')).toBe(true);
  });

  it('shows why a queue cannot be deleted, as the server says it', async () => {
    const { client } = fakeClient({
      query: () => queues,
      mutation: () => ({ error: gqlError('CONFLICT', "queue 'Support' is the route of numbers: +14155550100") }),
    });
    renderPage(<QueuesPage />, { client, session: ownerSession });
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Queues' });
    await user.click(within(within(table).getByRole('row', { name: /Support/ })).getByRole('button', { name: 'Delete' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Delete queue Support?' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }));
    expect(await within(confirm).findByRole('alert')).toHaveTextContent("queue 'Support' is the route of numbers: +14155550100");
  });
});
