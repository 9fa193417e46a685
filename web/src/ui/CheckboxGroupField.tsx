import { useId, type ReactNode } from 'react';
import { Controller, get, type Control, type FieldErrors, type FieldValues, type Path } from 'react-hook-form';

interface CheckboxGroupFieldProps<T extends FieldValues> {
  form: { control: Control<T>; formState: { errors: FieldErrors<T> } };
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
 * Several choices of one field (a team's members): a `<fieldset>` named by its legend, one
 * labelled checkbox per option, and the field's error (a server BAD_USER_INPUT) under it.
 */
export function CheckboxGroupField<T extends FieldValues>({ form, name, label, hint, options, empty }: CheckboxGroupFieldProps<T>) {
  const id = useId();
  const error = get<FieldErrors<T>, { message?: string } | undefined>(form.formState.errors, name);
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
