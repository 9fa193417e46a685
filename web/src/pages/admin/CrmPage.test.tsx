import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { PHONE_REGIONS, phoneRegionOptions } from '../../data/phoneRegions';
import { fakeClient, gqlError, networkError, operationName, ownerSession, renderPage, type FakeAnswer } from '../../test/render';
import CrmPage from './CrmPage';
import { CrmSettingsForm } from './crm/CrmSettingsSection';
import { CustomerCategoryForm } from './crm/CustomerCategoriesSection';
import { CustomFieldForm } from './crm/CustomFieldsSection';

function mutations(answers: FakeAnswer[]) {
  const replies = [...answers];
  return fakeClient({ mutation: () => replies.shift() });
}

const crmData = {
  crmSettings: { defaultRegion: 'CN' },
  customFields: [
    { id: 'f1', key: 'contract_id', label: 'Contract', type: 'TEXT', required: true, unique: true, default: null, options: [], position: 0 },
    { id: 'f2', key: 'tier', label: 'Tier', type: 'SELECT', required: false, unique: false, default: 'gold', options: ['gold', 'silver'], position: 1 },
  ],
  customerCategories: [{ id: 'c1', name: 'VIP', routing: 'PRIORITY', position: 0 }],
};

describe('CrmPage', () => {
  it('shows the settings, the custom fields and the customer categories, each in its section', async () => {
    const { client } = fakeClient({ query: () => ({ data: crmData }) });
    renderPage(<CrmPage />, { client, session: ownerSession, path: '/admin/crm' });

    expect(screen.getByRole('heading', { level: 1, name: 'CRM' })).toBeInTheDocument();
    expect(await screen.findByLabelText(/^Default phone region/)).toHaveValue('CN');
    const fields = screen.getByRole('table', { name: 'Custom fields' });
    expect(within(fields).getByRole('rowheader', { name: 'Contract' })).toBeInTheDocument();
    expect(within(fields).getByRole('row', { name: /Contract/ })).toHaveTextContent('Required, Unique');
    const categories = screen.getByRole('table', { name: 'Customer categories' });
    expect(within(categories).getByRole('row', { name: /VIP/ })).toHaveTextContent('Priority (VIP): ahead in the queue');
  });

  it('opens the edit dialog with the field as stored, choices one per line', async () => {
    const { client } = fakeClient({ query: () => ({ data: crmData }) });
    renderPage(<CrmPage />, { client, session: ownerSession });
    const user = userEvent.setup();
    const row = await screen.findByRole('row', { name: /Tier/ });
    await user.click(within(row).getByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit custom field' });
    expect(within(dialog).getByLabelText(/^Key/)).toHaveValue('tier');
    expect(within(dialog).getByLabelText(/^Type/)).toHaveValue('SELECT');
    expect(within(dialog).getByLabelText(/^Choices/)).toHaveValue('gold\nsilver');
    expect(within(dialog).getByLabelText('Default value')).toHaveValue('gold');
  });
});

describe('CrmSettingsForm', () => {
  it('saves the chosen region and shows the server refusing one in place', async () => {
    const { client, executeMutation } = mutations([
      { error: gqlError('BAD_USER_INPUT', "default_region: unknown region 'AQ'", { field: 'default_region' }) },
      { data: { updateCrmSettings: { defaultRegion: 'DE' } } },
    ]);
    renderPage(<CrmSettingsForm defaultRegion="US" />, { client, session: ownerSession });
    const user = userEvent.setup();
    const region = screen.getByLabelText(/^Default phone region/);
    expect(within(region).getByRole('option', { name: 'Germany (DE)' })).toBeInTheDocument();
    await user.selectOptions(region, 'DE');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(region).toHaveAttribute('aria-invalid', 'true'));
    expect(region).toHaveAccessibleDescription(expect.stringContaining("unknown region 'AQ'"));
    expect(region).toHaveValue('DE');

    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('CRM settings saved.')).toHaveAttribute('role', 'status');
    expect(executeMutation.mock.calls[1]?.[0].variables).toEqual({ defaultRegion: 'DE' });
  });

  it('names every region the server reads numbers in, sorted by name', () => {
    const options = phoneRegionOptions('en');
    expect(options).toHaveLength(PHONE_REGIONS.length);
    expect(options.find((o) => o.value === 'CN')?.label).toBe('China (CN)');
    const labels = options.map((o) => o.label);
    expect(labels).toEqual([...labels].sort((a, b) => new Intl.Collator('en').compare(a, b)));
    expect(phoneRegionOptions('en', 'ZZ').some((o) => o.value === 'ZZ')).toBe(true);
  });
});

describe('CustomFieldForm', () => {
  function renderForm(answers: FakeAnswer[]) {
    const fake = mutations(answers);
    const onSaved = vi.fn();
    renderPage(<CustomFieldForm field={null} onCancel={() => {}} onSaved={onSaved} />, { client: fake.client, session: ownerSession });
    return { ...fake, onSaved, user: userEvent.setup() };
  }

  it('sends a choice field with its choices, required flag and typed default', async () => {
    const { user, onSaved, executeMutation } = renderForm([{ data: { createCustomField: { id: 'f1', label: 'Tier' } } }]);
    await user.type(screen.getByLabelText(/^Key/), 'tier');
    await user.type(screen.getByLabelText(/^Label/), 'Tier');
    await user.selectOptions(screen.getByLabelText(/^Type/), 'MULTI_SELECT');
    await user.type(screen.getByLabelText(/^Choices/), 'gold{Enter}silver{Enter}');
    await user.type(screen.getByLabelText('Default value'), 'gold, silver');
    await user.click(screen.getByLabelText('Required'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('Tier', true));
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({
      input: {
        key: 'tier',
        label: 'Tier',
        type: 'MULTI_SELECT',
        required: true,
        unique: false,
        options: ['gold', 'silver'],
        default: ['gold', 'silver'],
        position: 0,
      },
    });
  });

  it('checks the key and the choices before sending', async () => {
    const { user, executeMutation } = renderForm([]);
    await user.type(screen.getByLabelText(/^Key/), 'Contract ID');
    await user.type(screen.getByLabelText(/^Label/), 'Contract');
    await user.selectOptions(screen.getByLabelText(/^Type/), 'SELECT');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByLabelText(/^Choices/)).toHaveAccessibleDescription(expect.stringContaining('A choice field needs at least one choice.'));
    expect(screen.getByLabelText(/^Key/)).toHaveAttribute('aria-invalid', 'true');
    expect(executeMutation).not.toHaveBeenCalled();
  });

  it('shows a server refusal on the field it names and keeps the draft', async () => {
    const { user, onSaved } = renderForm([
      { error: gqlError('BAD_USER_INPUT', "default: 'abc' is not a number", { field: 'default' }) },
    ]);
    await user.type(screen.getByLabelText(/^Key/), 'seats');
    await user.type(screen.getByLabelText(/^Label/), 'Seats');
    await user.selectOptions(screen.getByLabelText(/^Type/), 'NUMBER');
    await user.type(screen.getByLabelText('Default value'), 'abc');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const defaultInput = screen.getByLabelText('Default value');
    await waitFor(() => expect(defaultInput).toHaveAttribute('aria-invalid', 'true'));
    expect(defaultInput).toHaveAccessibleDescription(expect.stringContaining("'abc' is not a number"));
    expect(defaultInput).toHaveFocus();
    expect(screen.getByLabelText(/^Key/)).toHaveValue('seats');
    expect(onSaved).not.toHaveBeenCalled();
  });
});

describe('CustomerCategoryForm', () => {
  it('sends the name, the routing and the position; a network error offers Retry with the draft', async () => {
    const { client, executeMutation } = mutations([
      { error: networkError() },
      { data: { createCustomerCategory: { id: 'c1', name: 'Blocked' } } },
    ]);
    const onSaved = vi.fn();
    renderPage(<CustomerCategoryForm category={null} onCancel={() => {}} onSaved={onSaved} />, { client, session: ownerSession });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/^Name/), 'Blocked');
    await user.selectOptions(screen.getByLabelText(/^Call routing/), 'REJECT');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(screen.getByLabelText(/^Name/)).toHaveValue('Blocked');
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('Blocked', true));
    expect(executeMutation.mock.calls[1]?.[0].variables).toEqual({ input: { name: 'Blocked', routing: 'REJECT', position: 0 } });
    const retried = executeMutation.mock.calls[1]?.[0];
    expect(retried && operationName(retried)).toBe('CreateCustomerCategory');
  });
});
