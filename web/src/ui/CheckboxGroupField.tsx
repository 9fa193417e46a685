import { useId, type ReactNode } from 'react';
import { Controller, get, type Control, type FieldErrors, type FieldValues, type Path } from 'react-hook-form';

type Shown = { message?: string } | undefined;

interface CheckboxGroupFieldProps<T extends FieldValues, V extends FieldValues> {
  /** The form; `V` is what its resolver turns the values into (a level string → number). */
  form: { control: Control<T, unknown, V>; formState: { errors: FieldErrors<T> } };
  /** A field holding an array of the checked options' values. */
  name: Path<T>;
  /** The group's legend: its visible, accessible name. */
  label: ReactNode;
  hint?: ReactNode;
  options: readonly { value: string; label: string }[];
  /** Shown instead of the boxes when there is nothing to choose. */
  empty?: ReactNode;
}

/**
 * Several choices of one field (a team's members, the queues an agent may serve): a
 * `<fieldset>` named by its legend, one labelled checkbox per option, and the field's error
 * (a server BAD_USER_INPUT) under it. An error on one value (`queueIds.1`) shows for the group.
 */
export function CheckboxGroupField<T extends FieldValues, V extends FieldValues = T>({
  form,
  name,
  label,
  hint,
  options,
  empty,
}: CheckboxGroupFieldProps<T, V>) {
  const id = useId();
  const found = get<FieldErrors<T>, Shown | readonly Shown[]>(form.formState.errors, name);
  const error: Shown = isList(found) ? found.find((e) => e?.message) : found;
  const describedBy = [hint ? `${id}-hint` : null, error?.message ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset
      className={error ? 'field field-group field-invalid' : 'field field-group'}
      aria-describedby={describedBy}
      aria-invalid={error ? true : undefined}
    >
      <legend className="field-label">{label}</legend>
      <Controller
        control={form.control}
        name={name}
        render={({ field }) => {
          const checked = new Set<string>((field.value as string[] | undefined) ?? []);
          const toggle = (value: string, on: boolean) => {
            const next = new Set(checked);
            if (on) next.add(value);
            else next.delete(value);
            field.onChange(options.map((o) => o.value).filter((v) => next.has(v)));
          };
          return options.length === 0 ? (
            <p className="field-hint">{empty}</p>
          ) : (
            <ul className="checkbox-list">
              {options.map((option, index) => (
                <li key={option.value}>
                  <label className="checkbox">
                    <input
                      type="checkbox"
                      ref={index === 0 ? field.ref : undefined}
                      checked={checked.has(option.value)}
                      onChange={(event) => toggle(option.value, event.target.checked)}
                      onBlur={field.onBlur}
                    />
                    {option.label}
                  </label>
                </li>
              ))}
            </ul>
          );
        }}
      />
      {hint ? (
        <div id={`${id}-hint`} className="field-hint">
          {hint}
        </div>
      ) : null}
      {error?.message ? (
        <p id={`${id}-error`} className="field-error">
          {error.message}
        </p>
      ) : null}
    </fieldset>
  );
}

function isList<E>(value: E | readonly E[]): value is readonly E[] {
  return Array.isArray(value);
}
