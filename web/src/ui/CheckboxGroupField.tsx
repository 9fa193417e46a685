import { useId, type ReactNode } from 'react';
import { get, type FieldErrors, type FieldValues, type Path } from 'react-hook-form';

import type { FormLike } from './TextField';
import './structured-fields.css';

interface CheckboxGroupFieldProps<T extends FieldValues> {
  form: FormLike<T>;
  /** A field holding an array of the checked options' values. */
  name: Path<T>;
  label: string;
  hint?: ReactNode;
  options: readonly { value: string; label: string }[];
  /** Shown instead of the boxes when there is nothing to choose from. */
  empty: ReactNode;
}

/** A named group of checkboxes for "pick any of these" (the queues an agent may serve). */
export function CheckboxGroupField<T extends FieldValues>({ form, name, label, hint, options, empty }: CheckboxGroupFieldProps<T>) {
  const id = useId();
  // An error on one value (`queueIds.1` from the server) is shown for the whole group.
  type Shown = { message?: string } | undefined;
  const found = get<FieldErrors<T>, Shown | readonly Shown[]>(form.formState.errors, name);
  const error: Shown = isList(found) ? found.find((e) => e?.message) : found;
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset
      className={error ? 'field check-group field-invalid' : 'field check-group'}
      aria-describedby={describedBy}
      aria-invalid={error ? true : undefined}
    >
      <legend className="field-label">{label}</legend>
      {hint ? (
        <div id={`${id}-hint`} className="field-hint">
          {hint}
        </div>
      ) : null}
      {options.length === 0 ? <p className="field-hint">{empty}</p> : null}
      <div className="check-group-options">
        {options.map((option, index) => (
          <div className="check" key={option.value}>
            <input type="checkbox" className="check-input" id={`${id}-${index}`} value={option.value} {...form.register(name)} />
            <label htmlFor={`${id}-${index}`} className="check-label">
              {option.label}
            </label>
          </div>
        ))}
      </div>
      {error ? (
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
