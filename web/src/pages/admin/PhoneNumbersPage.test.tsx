import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { fakeClient, gqlError, networkError, operationName, ownerSession, renderPage, type FakeAnswer } from '../../test/render';
import PhoneNumbersPage, { PhoneNumberForm } from './PhoneNumbersPage';

const queues = [
  { id: 'q1', name: 'Support' },
  { id: 'q2', name: 'Sales' },
];

function renderForm(answers: FakeAnswer[]) {
  const replies = [...answers];
  const fake = fakeClient({ mutation: () => replies.shift() });
  const onSaved = vi.fn();
  renderPage(<PhoneNumberForm phoneNumber={null} queues={queues} onCancel={() => {}} onSaved={onSaved} />, { client: fake.client, session: ownerSession });
  return { ...fake, onSaved, user: userEvent.setup() };
}

describe('PhoneNumberForm', { timeout: 15_000 }, () => {
  it('sends the number as typed with its queue, and reports the E.164 form', async () => {
    const { user, onSaved, executeMutation } = renderForm([{ data: { createPhoneNumber: { id: 'n1', number: '+14155550100' } } }]);
    await user.type(screen.getByLabelText(/^Number/), '+1 415 555 0100');
    await user.selectOptions(screen.getByLabelText(/^Queue/), 'q2');
    await user.type(screen.getByLabelText('Description'), 'Sales US');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('+14155550100', true));
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({ input: { number: '+1 415 555 0100', queueId: 'q2', description: 'Sales US' } });
  });

  it('asks for a queue before sending', async () => {
    const { user, executeMutation } = renderForm([]);
    await user.type(screen.getByLabelText(/^Number/), '+14155550100');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByLabelText(/^Queue/)).toHaveAttribute('aria-invalid', 'true'));
    expect(executeMutation).not.toHaveBeenCalled();
  });

  it("shows the server's BAD_USER_INPUT on the number, and keeps the draft", async () => {
    const message = "number: '12' is not a valid phone number";
    const { user, onSaved } = renderForm([{ error: gqlError('BAD_USER_INPUT', message, { field: 'number' }) }]);
    const number = screen.getByLabelText(/^Number/);
    await user.type(number, '12');
    await user.selectOptions(screen.getByLabelText(/^Queue/), 'q1');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(number).toHaveAttribute('aria-invalid', 'true'));
    expect(number).toHaveAccessibleDescription(expect.stringContaining(message) as string);
    expect(number).toHaveValue('12');
    expect(screen.getByLabelText(/^Queue/)).toHaveValue('q1');
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('offers Retry after a network error', async () => {
    const { user, onSaved } = renderForm([{ error: networkError() }, { data: { createPhoneNumber: { id: 'n1', number: '+14155550100' } } }]);
    await user.type(screen.getByLabelText(/^Number/), '+14155550100');
    await user.selectOptions(screen.getByLabelText(/^Queue/), 'q1');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await user.click(within(await screen.findByRole('alert')).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
  });
});

describe('PhoneNumbersPage', { timeout: 15_000 }, () => {
  const numbers = {
    data: {
      phoneNumbers: {
        nodes: [
          { id: 'n1', number: '+14155550100', raw: '+1 415 555 0100', queueId: 'q2', description: 'Sales US', createdAt: '2025-03-01T09:30:00+00:00' },
          { id: 'n2', number: '+33123456789', raw: '01 23 45 67 89', queueId: 'q1', description: '', createdAt: '2025-03-01T09:30:00+00:00' },
        ],
        pageInfo: { hasNextPage: false, endCursor: null },
      },
    },
  };
  const respond = {
    query: (request: Parameters<typeof operationName>[0]) =>
      operationName(request) === 'PhoneNumberQueues' ? { data: { queues: { nodes: queues } } } : numbers,
  };

  it('lists numbers with the queue each rings, and searches by queue or digits', async () => {
    const { client } = fakeClient(respond);
    renderPage(<PhoneNumbersPage />, { client, session: ownerSession, path: '/admin/phone-numbers' });
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Phone numbers' });
    expect(await within(table).findByRole('row', { name: /\+14155550100/ })).toHaveTextContent('Sales');
    await user.type(screen.getByLabelText('Search'), 'support');
    expect(within(table).queryByRole('rowheader', { name: '+14155550100' })).not.toBeInTheDocument();
    expect(within(table).getByRole('rowheader', { name: '+33123456789' })).toBeInTheDocument();
    await user.clear(screen.getByLabelText('Search'));
    await user.type(screen.getByLabelText('Search'), '415 555');
    expect(within(table).getByRole('rowheader', { name: '+14155550100' })).toBeInTheDocument();
  });

  it('edits a number: the form shows it as it was entered', async () => {
    const { client } = fakeClient(respond);
    renderPage(<PhoneNumbersPage />, { client, session: ownerSession });
    const user = userEvent.setup();
    const row = await screen.findByRole('row', { name: /\+33123456789/ });
    await user.click(within(row).getByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit phone number' });
    expect(within(dialog).getByLabelText(/^Number/)).toHaveValue('01 23 45 67 89');
    expect(within(dialog).getByLabelText(/^Queue/)).toHaveValue('q1');
  });
});
