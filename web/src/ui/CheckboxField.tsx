import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import { get, type FieldErrors, type FieldValues, type Path } from 'react-hook-form';

import type { FormLike } from './TextField';
import './structured-fields.css';

interface CheckboxFieldProps<T extends FieldValues> extends Omit<InputHTMLAttributes<HTMLInputElement>, 'form' | 'name' | 'id' | 'type'> {
  form: FormLike<T>;
  name: Path<T>;
  label: ReactNode;
  hint?: ReactNode;
}

/** A labelled checkbox registered in a react-hook-form form (a boolean field). */
export function CheckboxField<T extends FieldValues>({ form, name, label, hint, ...input }: CheckboxFieldProps<T>) {
  const id = useId();
  const error = get<FieldErrors<T>, { message?: string } | undefined>(form.formState.errors, name);
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field-check field-invalid' : 'field field-check'}>
      <div className="check">
        <input
          type="checkbox"
          className="check-input"
          id={id}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          {...input}
          {...form.register(name)}
        />
        <label htmlFor={id} className="check-label">
          {label}
        </label>
      </div>
      {hint ? (
        <div id={`${id}-hint`} className="field-hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error.message}
        </p>
      ) : null}
    </div>
  );
}
