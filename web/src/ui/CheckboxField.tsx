import type { InputHTMLAttributes, ReactNode } from 'react';
import { useId } from 'react';
import { get, type FieldErrors, type FieldValues, type Path } from 'react-hook-form';

import type { FormLike } from './TextField';

interface CheckboxFieldProps<T extends FieldValues> extends Omit<InputHTMLAttributes<HTMLInputElement>, 'form' | 'name' | 'id' | 'type'> {
  form: FormLike<T>;
  name: Path<T>;
  label: ReactNode;
  hint?: ReactNode;
}

/** A labelled checkbox registered in a react-hook-form form (a boolean), with its hint and error. */
export function CheckboxField<T extends FieldValues>({ form, name, label, hint, ...input }: CheckboxFieldProps<T>) {
  const id = useId();
  const error = get<FieldErrors<T>, { message?: string } | undefined>(form.formState.errors, name);
  const describedBy = [hint ? `${id}-hint` : null, error?.message ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error?.message ? 'field field-checkbox field-invalid' : 'field field-checkbox'}>
      <div className="checkbox-row">
        <input
          type="checkbox"
          className="checkbox"
          id={id}
          aria-describedby={describedBy}
          aria-invalid={error?.message ? true : undefined}
          {...input}
          {...form.register(name)}
        />
        <label htmlFor={id} className="field-label">
          {label}
        </label>
      </div>
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
    </div>
  );
}
