import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useForm } from 'react-hook-form';
import { describe, expect, it } from 'vitest';

import { renderPage } from '../test/render';
import { WeeklyHoursEditor, weekOf, weekWindows, type WeeklyHours } from './WeeklyHoursEditor';

describe('weekWindows and weekOf', { timeout: 15_000 }, () => {
  it('turn per-day windows into the API list, Monday first, with each form path, and back', () => {
    const week: WeeklyHours = weekOf([
      { day: 'fri', start: '09:00', end: '12:00' },
      { day: 'mon', start: '08:00', end: '18:00' },
      { day: 'fri', start: '13:00', end: '17:00' },
    ]);
    expect(week.mon).toEqual([{ start: '08:00', end: '18:00' }]);
    expect(week.tue).toEqual([]);
    const { windows, paths } = weekWindows(week, 'hours.days');
    expect(windows).toEqual([
      { day: 'mon', start: '08:00', end: '18:00' },
      { day: 'fri', start: '09:00', end: '12:00' },
      { day: 'fri', start: '13:00', end: '17:00' },
    ]);
    expect(paths).toEqual(['hours.days.mon.0', 'hours.days.fri.0', 'hours.days.fri.1']);
  });
});

function Harness({ initial, onValues }: { initial: WeeklyHours; onValues: (v: WeeklyHours) => void }) {
  const form = useForm<{ days: WeeklyHours }>({ defaultValues: { days: initial } });
  return (
    <form onSubmit={form.handleSubmit((v) => onValues(v.days))}>
      <WeeklyHoursEditor form={form} name="days" />
      <button type="submit">Save</button>
    </form>
  );
}

describe('WeeklyHoursEditor', { timeout: 15_000 }, () => {
  it('shows each day, closed or with labelled windows, and adds and removes windows', async () => {
    const empty: WeeklyHours = { mon: [{ start: '09:00', end: '17:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    let saved: WeeklyHours | null = null;
    renderPage(<Harness initial={empty} onValues={(v) => (saved = v)} />);
    const user = userEvent.setup();
    expect(screen.getByLabelText('Monday Opens')).toHaveValue('09:00');
    expect(screen.getByRole('group', { name: 'Sunday' })).toHaveTextContent('Closed');

    await user.click(screen.getByRole('button', { name: 'Add hours Saturday' }));
    await user.clear(screen.getByLabelText('Saturday Closes'));
    await user.type(screen.getByLabelText('Saturday Closes'), '12:00');
    await user.click(screen.getByRole('button', { name: 'Remove Monday 1' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(saved).toMatchObject({ mon: [], sat: [{ start: '09:00', end: '12:00' }] });
  });
});
