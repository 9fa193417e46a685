import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { describe, expect, it } from 'vitest';

import { renderPage } from '../test/render';
import { CheckboxGroupField } from './CheckboxGroupField';

interface Values {
  queueIds: string[];
}

function Harness({ options, error, onValues }: { options: { value: string; label: string }[]; error?: string; onValues: (v: Values) => void }) {
  const form = useForm<Values>({ defaultValues: { queueIds: ['q2'] } });
  useEffect(() => {
    if (error) form.setError('queueIds', { message: error });
  }, [error, form]);
  return (
    <form onSubmit={form.handleSubmit(onValues)}>
      <CheckboxGroupField form={form} name="queueIds" label="Queues" hint="Pick any" options={options} empty="No queues yet." />
      <button type="submit">Save</button>
    </form>
  );
}

function OneValueError() {
  const form = useForm<Values>({ defaultValues: { queueIds: ['q1'] } });
  useEffect(() => form.setError('queueIds.0', { message: 'queueIds.0: queue not found' }), [form]);
  return <CheckboxGroupField form={form} name="queueIds" label="Queues" options={[{ value: 'q1', label: 'Support' }]} empty="None" />;
}

describe('CheckboxGroupField', { timeout: 15_000 }, () => {
  it('shows an error on one of its values for the group', async () => {
    renderPage(<OneValueError />);
    expect(await screen.findByText('queueIds.0: queue not found')).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Queues' })).toHaveAccessibleDescription('queueIds.0: queue not found');
  });

  it('is a named group whose checked boxes give the list of values', async () => {
    let saved: Values | null = null;
    const options = [
      { value: 'q1', label: 'Support' },
      { value: 'q2', label: 'Sales' },
    ];
    renderPage(<Harness options={options} onValues={(v) => (saved = v)} />);
    const user = userEvent.setup();
    expect(screen.getByRole('group', { name: 'Queues' })).toHaveAccessibleDescription('Pick any');
    expect(screen.getByLabelText('Sales')).toBeChecked();
    await user.click(screen.getByLabelText('Support'));
    await user.click(screen.getByLabelText('Sales'));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(saved).toEqual({ queueIds: ['q1'] });
  });

  it('says when there is nothing to pick, and shows its error', async () => {
    renderPage(<Harness options={[]} error="queueIds.0: queue not found" onValues={() => {}} />);
    expect(screen.getByText('No queues yet.')).toBeInTheDocument();
    const group = await screen.findByRole('group', { name: 'Queues' });
    expect(group).toHaveAttribute('aria-invalid', 'true');
    expect(group).toHaveAccessibleDescription('Pick any queueIds.0: queue not found');
  });
});
