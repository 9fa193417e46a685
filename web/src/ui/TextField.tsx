import type { InputHTMLAttributes, ReactNode } from 'react';
import { get, type FieldErrors, type FieldValues, type Path, type UseFormRegister } from 'react-hook-form';

import { FormField } from './FormField';

/** The part of react-hook-form's `useForm()` result a field needs. */
export interface FormLike<T extends FieldValues> {
  register: UseFormRegister<T>;
  formState: { errors: FieldErrors<T> };
}

interface TextFieldProps<T extends FieldValues>
  extends Omit<InputHTMLAttributes<HTMLInputElement>, 'form' | 'name' | 'id'> {
  form: FormLike<T>;
  name: Path<T>;
  label: ReactNode;
  hint?: ReactNode;
}

/** A FormField with an `<input>` registered in a react-hook-form form; shows its error. */
export function TextField<T extends FieldValues>({ form, name, label, hint, required, ...input }: TextFieldProps<T>) {
  const error = get<FieldErrors<T>, { message?: string } | undefined>(form.formState.errors, name);
  return (
    <FormField label={label} hint={hint} error={error?.message} required={required ?? false}>
      {(control) => <input className="input" {...input} {...control} {...form.register(name)} />}
    </FormField>
  );
}
