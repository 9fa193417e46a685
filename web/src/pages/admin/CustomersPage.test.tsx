import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { fakeClient, gqlError, operationName, ownerSession, renderPage, type FakeAnswer } from '../../test/render';
import CustomersPage from './CustomersPage';
import { CustomerForm, splitList, type Choices, type CustomerRow } from './customers/CustomerForm';
import { filterOf, looksLikePhone } from './customers/useCustomerSearch';

const choices: Choices = {
  customerCategories: [{ id: 'c1', name: 'VIP' }],
  customFields: [
    { id: 'f1', key: 'tier', label: 'Tier', type: 'SELECT', required: false, options: ['gold', 'silver'], position: 0 },
    { id: 'f2', key: 'vip_since', label: 'VIP since', type: 'DATE', required: false, options: [], position: 1 },
    { id: 'f3', key: 'consent', label: 'Consent', type: 'BOOLEAN', required: false, options: [], position: 2 },
  ],
  users: {
    nodes: [
      { id: 'u1', email: 'olive@acme.test', displayName: 'Olive Owner' },
      { id: 'u2', email: 'sam@acme.test', displayName: 'Sam Supervisor' },
    ],
  },
};

function customer(name: string, i: number): CustomerRow {
  return {
    id: `k${i}`,
    name,
    company: null,
    emails: [],
    tags: ['gold'],
    notes: '',
    customFields: {},
    externalId: null,
    createdAt: '2025-03-01T09:30:00+00:00',
    updatedAt: '2025-03-02T09:30:00+00:00',
    phones: [{ e164: `+1415555010${i}`, raw: `(415) 555-010${i}` }],
    category: null,
    owner: null,
  };
}

const page = (names: string[], hasNextPage = false): FakeAnswer => ({
  data: {
    customers: {
      nodes: names.map(customer),
      pageInfo: { hasNextPage, endCursor: hasNextPage ? 'cursor-1' : null },
    },
  },
});

function renderCustomers({ path = '/admin/customers', list = () => page(['Ada Lovelace', 'Alan Turing'], true), mutation }: { path?: string; list?: (variables: Record<string, unknown>) => FakeAnswer; mutation?: () => FakeAnswer | undefined } = {}) {
  const fake = fakeClient({
    query: (request) => (operationName(request) === 'CustomerChoices' ? { data: choices } : list(request.variables as Record<string, unknown>)),
    mutation,
  });
  renderPage(<CustomersPage />, { client: fake.client, session: ownerSession, path });
  const listCalls = () => fake.executeQuery.mock.calls.filter(([request]) => operationName(request) === 'AdminCustomers').map(([request]) => request.variables as Record<string, unknown>);
  return { ...fake, listCalls, user: userEvent.setup() };
}

describe('the customer search', () => {
  it('sends a phone-like text as a phone filter and any other as a name prefix', () => {
    expect(looksLikePhone('+1 (415) 555-0100')).toBe(true);
    expect(looksLikePhone('Ada')).toBe(false);
    expect(looksLikePhone('12')).toBe(false);
    expect(filterOf({ q: '415.555.0100', category: '', tag: '', owner: '' })).toEqual({ phone: '415.555.0100' });
    expect(filterOf({ q: ' Ada ', category: 'VIP', tag: 'gold', owner: 'u1' })).toEqual({ namePrefix: 'Ada', category: 'VIP', tag: 'gold', ownerId: 'u1' });
    expect(filterOf({ q: '', category: '', tag: ' ', owner: '' })).toBeNull();
  });

  it('splits lists typed one per line or with commas', () => {
    expect(splitList('+1 415 555 0100\n(415) 555-0101, x ;')).toEqual(['+1 415 555 0100', '(415) 555-0101', 'x']);
  });
});

describe('CustomersPage', () => {
  it('lists one page from the server, pages with first/after, and sorts by a column', async () => {
    const { user, listCalls } = renderCustomers({
      list: (variables) => (variables.after ? page(['Grace Hopper']) : page(['Ada Lovelace', 'Alan Turing'], true)),
    });
    const table = await screen.findByRole('table', { name: 'Customers' });
    expect(within(table).getByRole('rowheader', { name: 'Ada Lovelace' })).toBeInTheDocument();
    expect(listCalls()[0]).toEqual({ filter: null, orderBy: { field: 'NAME', descending: false }, first: 25, after: null });

    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await within(table).findByRole('rowheader', { name: 'Grace Hopper' })).toBeInTheDocument();
    expect(listCalls().at(-1)?.after).toBe('cursor-1');

    await user.click(within(table).getByRole('button', { name: 'Name' }));
    await waitFor(() => expect(listCalls().at(-1)).toMatchObject({ orderBy: { field: 'NAME', descending: true }, after: null }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('sort=-name'));
    await waitFor(() => expect(within(table).getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'descending'));
  });

  it('searches on the server once typing pauses, and keeps the search in the URL', async () => {
    const { user, listCalls } = renderCustomers();
    await screen.findByRole('rowheader', { name: 'Ada Lovelace' });
    await user.type(screen.getByLabelText('Search by name or phone number'), '+1 415-555');
    await waitFor(() => expect(listCalls().at(-1)?.filter).toEqual({ phone: '+1 415-555' }));
    // One request for the pause, not one per key.
    expect(listCalls().filter((variables) => variables.filter !== null)).toHaveLength(1);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('q=%2B1+415-555'));

    await user.selectOptions(screen.getByLabelText('Category'), 'VIP');
    await waitFor(() => expect(listCalls().at(-1)?.filter).toEqual({ phone: '+1 415-555', category: 'VIP' }));
    await waitFor(() => expect(screen.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', '/v1/crm/customers/export.csv?phone=%2B1+415-555&category=VIP'));
  });

  it('starts from the search in the URL (a reload keeps it)', async () => {
    const { listCalls } = renderCustomers({ path: '/admin/customers?q=Ada&owner=u2&tag=gold' });
    await screen.findByRole('rowheader', { name: 'Ada Lovelace' });
    expect(listCalls()[0]?.filter).toEqual({ namePrefix: 'Ada', tag: 'gold', ownerId: 'u2' });
    expect(screen.getByLabelText('Search by name or phone number')).toHaveValue('Ada');
    expect(screen.getByLabelText('Tag')).toHaveValue('gold');
  });

  it('assigns the selected rows (or all on the page) to an owner', async () => {
    const mutation = vi.fn((): FakeAnswer => ({ data: { assignCustomers: { updated: 2 } } }));
    const { user, executeMutation } = renderCustomers({ mutation });
    await screen.findByRole('rowheader', { name: 'Ada Lovelace' });
    await user.click(screen.getByRole('checkbox', { name: 'Select Ada Lovelace' }));
    const bulk = screen.getByRole('group', { name: 'Selected customers' });
    expect(bulk).toHaveTextContent('1 customer selected');
    await user.click(screen.getByRole('checkbox', { name: 'Select all on this page' }));
    expect(bulk).toHaveTextContent('2 customers selected');
    await user.selectOptions(within(bulk).getByLabelText('Assign to'), 'Sam Supervisor');
    await user.click(within(bulk).getByRole('button', { name: 'Assign' }));
    await waitFor(() => expect(executeMutation).toHaveBeenCalled());
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({ input: { ids: ['k0', 'k1'], ownerId: 'u2' } });
    expect(await screen.findByText('2 customers assigned.')).toBeInTheDocument();
  });

  it('opens the create dialog with the custom fields rendered by type', async () => {
    const { user } = renderCustomers();
    await user.click(await screen.findByRole('button', { name: 'Create customer' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create customer' });
    expect(within(dialog).getByLabelText(/^Name/)).toHaveFocus();
    expect(within(dialog).getByLabelText('Tier').tagName).toBe('SELECT');
    expect(within(dialog).getByLabelText('VIP since')).toHaveAttribute('type', 'date');
    expect(within(dialog).getByLabelText('Consent')).toHaveAttribute('type', 'checkbox');
  });
});

describe('CustomerForm', () => {
  function renderForm(answers: FakeAnswer[], row: CustomerRow | null = null) {
    const replies = [...answers];
    const fake = fakeClient({ mutation: () => replies.shift() });
    const onSaved = vi.fn();
    renderPage(<CustomerForm customer={row} choices={choices} onCancel={() => {}} onSaved={onSaved} />, { client: fake.client, session: ownerSession });
    return { ...fake, onSaved, user: userEvent.setup() };
  }

  it('creates with every field as the API takes it', async () => {
    const { user, onSaved, executeMutation } = renderForm([{ data: { createCustomer: { id: 'k9', name: 'Ada' } } }]);
    await user.type(screen.getByLabelText(/^Name/), 'Ada');
    await user.type(screen.getByLabelText('Phone numbers'), '+1 415 555 0100{enter}(415) 555-0101');
    await user.type(screen.getByLabelText('Tags'), 'gold, early');
    await user.selectOptions(screen.getByLabelText('Category'), 'VIP');
    await user.selectOptions(screen.getByLabelText('Owner'), 'Olive Owner');
    await user.selectOptions(screen.getByLabelText('Tier'), 'gold');
    await user.click(screen.getByLabelText('Consent'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('Ada', true));
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({
      input: {
        name: 'Ada',
        company: null,
        phones: ['+1 415 555 0100', '(415) 555-0101'],
        emails: [],
        tags: ['gold', 'early'],
        notes: '',
        externalId: null,
        category: 'VIP',
        ownerId: 'u1',
        customFields: { tier: 'gold', consent: true },
      },
    });
  });

  it('shows a phone BAD_USER_INPUT on the phone numbers and keeps the draft', async () => {
    const { user, onSaved } = renderForm([{ error: gqlError('BAD_USER_INPUT', "phones: invalid phone number '12'", { field: 'phones' }) }]);
    await user.type(screen.getByLabelText(/^Name/), 'Ada');
    await user.type(screen.getByLabelText('Phone numbers'), '12');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const phones = screen.getByLabelText('Phone numbers');
    await waitFor(() => expect(phones).toHaveAttribute('aria-invalid', 'true'));
    expect(phones).toHaveAccessibleDescription(expect.stringContaining("phones: invalid phone number '12'"));
    expect(phones).toHaveValue('12');
    expect(screen.getByLabelText(/^Name/)).toHaveValue('Ada');
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('edits: clears what was emptied and says what conflicts', async () => {
    const row = { ...customer('Ada', 1), category: { id: 'c1', name: 'VIP' }, owner: { id: 'u1', email: 'olive@acme.test', displayName: 'Olive Owner' }, customFields: { tier: 'gold' } };
    const { user, executeMutation, onSaved } = renderForm(
      [
        { error: gqlError('CONFLICT', "phone +14155550101 already belongs to customer 'Bob'", { field: 'phones' }) },
        { data: { updateCustomer: { id: 'k1', name: 'Ada' } } },
      ],
      row,
    );
    expect(screen.getByLabelText('Phone numbers')).toHaveValue('(415) 555-0101');
    await user.selectOptions(screen.getByLabelText('Category'), 'No category');
    await user.selectOptions(screen.getByLabelText('Tier'), 'None');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent("This conflicts with what exists: phone +14155550101 already belongs to customer 'Bob'");
    expect(executeMutation.mock.calls[0]?.[0].variables).toMatchObject({
      input: { id: 'k1', category: null, clearCategory: true, ownerId: 'u1', clearOwner: false, customFields: { tier: null, vip_since: null, consent: false } },
    });
    await user.clear(screen.getByLabelText('Phone numbers'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('Ada', false));
  });
});
