import { useId } from 'react';
import { get, useFieldArray, type ArrayPath, type FieldErrors, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';

import type { MessageId } from '../i18n/messages';
import { useT } from '../i18n/useT';
import { Button } from './Button';
import './structured-fields.css';

/** The API's weekday names (TimeWindowInput.day), Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One opening window of a day, `HH:MM` to `HH:MM` (24:00 ends the day). */
export interface OpeningWindow {
  start: string;
  end: string;
}

export type WeeklyHours = Record<Weekday, OpeningWindow[]>;

/** A window as the API takes it: `{ day, start, end }`. */
export interface DayWindow extends OpeningWindow {
  day: Weekday;
}

/** The week's windows as one list, Monday first, and each window's form path under `name`. */
export function weekWindows(days: WeeklyHours, name: string): { windows: DayWindow[]; paths: string[] } {
  const windows: DayWindow[] = [];
  const paths: string[] = [];
  for (const day of WEEKDAYS) {
    days[day].forEach((window, index) => {
      windows.push({ day, start: window.start, end: window.end });
      paths.push(`${name}.${day}.${index}`);
    });
  }
  return { windows, paths };
}

/** A week of windows from the API's list (a day without windows is closed). */
export function weekOf(windows: readonly { day: string; start: string; end: string }[]): WeeklyHours {
  const days: WeeklyHours = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  for (const window of windows) {
    const day = window.day.toLowerCase().slice(0, 3) as Weekday;
    if (day in days) days[day].push({ start: window.start, end: window.end });
  }
  return days;
}

interface WeeklyHoursEditorProps<T extends FieldValues, TOut> {
  form: UseFormReturn<T, unknown, TOut>;
  /** An object field `{ mon: OpeningWindow[], …, sun: OpeningWindow[] }`. */
  name: Path<T>;
}

/**
 * Opening hours per weekday: each day lists its windows (opens, closes), with "Add hours"
 * and "Remove"; a day without windows is closed. Fields are `<name>.<day>.<i>.start|end`.
 */
export function WeeklyHoursEditor<T extends FieldValues, TOut>({ form, name }: WeeklyHoursEditorProps<T, TOut>) {
  return (
    <div className="weekly-hours">
      {WEEKDAYS.map((day) => (
        <DayHours key={day} form={form} name={`${name}.${day}` as ArrayPath<T>} day={day} />
      ))}
    </div>
  );
}

function DayHours<T extends FieldValues, TOut>({ form, name, day }: { form: UseFormReturn<T, unknown, TOut>; name: ArrayPath<T>; day: Weekday }) {
  const t = useT();
  const { fields, append, remove } = useFieldArray({ control: form.control, name });
  const dayName = t(`ui.weeklyHours.${day}` as MessageId);
  const errors = form.formState.errors;
  return (
    <fieldset className="weekly-hours-day">
      <legend className="weekly-hours-dayname">{dayName}</legend>
      <div className="weekly-hours-windows">
        {fields.length === 0 ? <p className="weekly-hours-closed">{t('ui.weeklyHours.closed')}</p> : null}
        {fields.map((field, index) => (
          <div key={field.id} className="weekly-hours-window">
            <TimeInput form={form} name={`${name}.${index}.start` as Path<T>} label={t('ui.weeklyHours.opens')} dayName={dayName} errors={errors} />
            <TimeInput form={form} name={`${name}.${index}.end` as Path<T>} label={t('ui.weeklyHours.closes')} dayName={dayName} errors={errors} />
            <Button className="btn-small" onClick={() => remove(index)}>
              {t('ui.weeklyHours.remove')}
              <span className="visually-hidden">{` ${dayName} ${String(index + 1)}`}</span>
            </Button>
          </div>
        ))}
        <div>
          <Button className="btn-small" onClick={() => append((fields.length ? { start: '18:00', end: '20:00' } : { start: '09:00', end: '17:00' }) as never)}>
            {t('ui.weeklyHours.add')}
            <span className="visually-hidden">{` ${dayName}`}</span>
          </Button>
        </div>
      </div>
    </fieldset>
  );
}

function TimeInput<T extends FieldValues, TOut>({
  form,
  name,
  label,
  dayName,
  errors,
}: {
  form: UseFormReturn<T, unknown, TOut>;
  name: Path<T>;
  label: string;
  dayName: string;
  errors: FieldErrors<T>;
}) {
  const id = useId();
  const error = get<FieldErrors<T>, { message?: string } | undefined>(errors, name);
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id} className="field-label">
        <span className="visually-hidden">{`${dayName} `}</span>
        {label}
      </label>
      <input
        id={id}
        className="input input-time"
        inputMode="numeric"
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        {...form.register(name)}
      />
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error.message}
        </p>
      ) : null}
    </div>
  );
}
