import type { ReactNode, SelectHTMLAttributes } from 'react';
import { get, type FieldErrors, type FieldValues, type Path } from 'react-hook-form';

import { FormField } from './FormField';
import type { FormLike } from './TextField';

interface SelectFieldProps<T extends FieldValues> extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'form' | 'name' | 'id'> {
  form: FormLike<T>;
  name: Path<T>;
  label: ReactNode;
  hint?: ReactNode;
  options: readonly { value: string; label: string }[];
}

/** A FormField with a native `<select>` registered in a react-hook-form form. */
export function SelectField<T extends FieldValues>({ form, name, label, hint, options, required, ...select }: SelectFieldProps<T>) {
  const error = get<FieldErrors<T>, { message?: string } | undefined>(form.formState.errors, name);
  return (
    <FormField label={label} hint={hint} error={error?.message} required={required ?? false}>
      {(control) => (
        <select className="input" {...select} {...control} {...form.register(name)}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}
