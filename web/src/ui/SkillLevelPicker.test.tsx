import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useForm } from 'react-hook-form';
import { describe, expect, it } from 'vitest';

import { renderPage } from '../test/render';
import { SkillLevelPicker } from './SkillLevelPicker';

interface Values {
  requiredSkills: { skillId: string; minLevel: string }[];
}

const skills = [
  { id: 'k1', name: 'Billing' },
  { id: 'k2', name: 'French' },
];

function Harness({ onValues }: { onValues: (v: Values) => void }) {
  const form = useForm<Values>({ defaultValues: { requiredSkills: [] } });
  return (
    <form onSubmit={form.handleSubmit(onValues)}>
      <SkillLevelPicker
        form={form}
        name="requiredSkills"
        levelKey="minLevel"
        label="Required skills"
        levelLabel="Minimum level"
        addLabel="Add required skill"
        empty="None"
        skills={skills}
      />
      <button type="submit">Save</button>
    </form>
  );
}

describe('SkillLevelPicker', { timeout: 15_000 }, () => {
  it('adds a row per skill, never the same skill twice, with a level each', async () => {
    let saved: Values | null = null;
    renderPage(<Harness onValues={(v) => (saved = v)} />);
    const user = userEvent.setup();
    expect(screen.getByRole('group', { name: 'Required skills' })).toHaveTextContent('None');

    await user.click(screen.getByRole('button', { name: 'Add required skill' }));
    await user.selectOptions(screen.getByLabelText('Minimum level'), '4');
    await user.click(screen.getByRole('button', { name: 'Add required skill' }));
    // Both skills are taken: nothing left to add.
    expect(screen.getByRole('button', { name: 'Add required skill' })).toBeDisabled();
    const [first, second] = screen.getAllByLabelText('Skill');
    expect(first).toHaveValue('k1');
    expect(second).toHaveValue('k2');
    expect(second?.querySelectorAll('option')).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Remove French' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(saved).toEqual({ requiredSkills: [{ skillId: 'k1', minLevel: '4' }] });
  });
});
