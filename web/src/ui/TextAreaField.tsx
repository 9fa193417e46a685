import type { ReactNode, TextareaHTMLAttributes } from 'react';
import { get, type FieldErrors, type FieldValues, type Path } from 'react-hook-form';

import { FormField } from './FormField';
import type { FormLike } from './TextField';

interface TextAreaFieldProps<T extends FieldValues> extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'form' | 'name' | 'id'> {
  form: FormLike<T>;
  name: Path<T>;
  label: ReactNode;
  hint?: ReactNode;
}

/** A FormField with a `<textarea>` registered in a react-hook-form form (lists typed one per line). */
export function TextAreaField<T extends FieldValues>({ form, name, label, hint, required, ...textarea }: TextAreaFieldProps<T>) {
  const error = get<FieldErrors<T>, { message?: string } | undefined>(form.formState.errors, name);
  return (
    <FormField label={label} hint={hint} error={error?.message} required={required ?? false}>
      {(control) => <textarea className="input" rows={3} {...textarea} {...control} {...form.register(name)} />}
    </FormField>
  );
}
