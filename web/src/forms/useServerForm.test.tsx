import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { OperationResult } from '@urql/core';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

import { gqlError, renderPage } from '../test/render';
import { TextField } from '../ui/TextField';
import { useServerForm } from './useServerForm';

const schema = z.object({
  name: z.string(),
  days: z.object({ mon: z.array(z.object({ start: z.string() })), tue: z.array(z.object({ start: z.string() })) }),
});

/** A form holding windows per day that sends them as one list, as the queue form does. */
function WeekForm({ send }: { send: () => Promise<OperationResult> }) {
  const { form, problem, handleSubmit } = useServerForm({
    schema,
    defaultValues: { name: 'Support', days: { mon: [{ start: '09:00' }], tue: [{ start: '10:00' }] } },
    mapServerField: (field, values) => {
      const match = /^windows\.(\d+)\.start$/.exec(field);
      if (!match) return null;
      const paths = [...values.days.mon.map((_, i) => `days.mon.${i}.start`), ...values.days.tue.map((_, i) => `days.tue.${i}.start`)];
      return paths[Number(match[1])] ?? null;
    },
  });
  return (
    <form onSubmit={handleSubmit(send, () => {})} noValidate>
      <TextField form={form} name="name" label="Name" />
      <TextField form={form} name="days.mon.0.start" label="Monday opens" />
      <TextField form={form} name="days.tue.0.start" label="Tuesday opens" />
      <p role="alert">{problem?.text}</p>
      <button type="submit">Save</button>
    </form>
  );
}

function failWith(field: string) {
  const result = { error: gqlError('BAD_USER_INPUT', `${field}: not a time`, { field }) } as unknown as OperationResult;
  return vi.fn(() => Promise.resolve(result));
}

describe('useServerForm', { timeout: 15_000 }, () => {
  it('maps a server field through mapServerField onto the form field it means', async () => {
    const send = failWith('windows.1.start');
    renderPage(<WeekForm send={send} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Save' }));
    const tuesday = screen.getByLabelText('Tuesday opens');
    await waitFor(() => expect(tuesday).toHaveAttribute('aria-invalid', 'true'));
    expect(tuesday).toHaveAccessibleDescription('windows.1.start: not a time');
    expect(tuesday).toHaveFocus();
    expect(screen.getByLabelText('Monday opens')).not.toHaveAttribute('aria-invalid');
  });

  it('resolves the server name as before when the map returns null', async () => {
    const send = failWith('input.days.mon.0.start');
    renderPage(<WeekForm send={send} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByLabelText('Monday opens')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByLabelText('Tuesday opens')).not.toHaveAttribute('aria-invalid');
  });

  it('shows a field the form does not hold as a form-level problem', async () => {
    const send = failWith('windows.7.start');
    renderPage(<WeekForm send={send} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('windows.7.start: not a time');
  });
});
