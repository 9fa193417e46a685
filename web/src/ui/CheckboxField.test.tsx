import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useForm } from 'react-hook-form';
import { describe, expect, it } from 'vitest';

import { renderPage } from '../test/render';
import { CheckboxField } from './CheckboxField';
import { FormSection } from './FormSection';

function Harness({ onValues }: { onValues: (v: { record: boolean }) => void }) {
  const form = useForm<{ record: boolean }>({ defaultValues: { record: false } });
  return (
    <form onSubmit={form.handleSubmit(onValues)}>
      <FormSection title="General" hint="The basics.">
        <CheckboxField form={form} name="record" label="Record calls" hint="Calls are recorded." />
      </FormSection>
      <button type="submit">Save</button>
    </form>
  );
}

describe('CheckboxField in a FormSection', { timeout: 15_000 }, () => {
  it('is a labelled checkbox with its hint, inside a group named by its section', async () => {
    let saved: { record: boolean } | null = null;
    renderPage(<Harness onValues={(v) => (saved = v)} />);
    const user = userEvent.setup();
    expect(screen.getByRole('group', { name: 'General' })).toHaveTextContent('The basics.');
    const box = screen.getByRole('checkbox', { name: 'Record calls' });
    expect(box).toHaveAccessibleDescription('Calls are recorded.');
    await user.click(box);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(saved).toEqual({ record: true });
  });
});
