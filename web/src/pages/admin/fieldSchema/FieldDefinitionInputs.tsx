import type { FieldValues, Path, UseFormWatch } from 'react-hook-form';

import type { MessageId } from '../../../i18n/messages';
import { useT } from '../../../i18n/useT';
import { CheckboxField } from '../../../ui/CheckboxField';
import { SelectField } from '../../../ui/SelectField';
import { TextAreaField } from '../../../ui/TextAreaField';
import type { FormLike } from '../../../ui/TextField';
import { TextField } from '../../../ui/TextField';
import { FIELD_TYPES, isChoice, type FieldDraft } from './fieldDefinition';

interface FieldDefinitionInputsProps<T extends FieldValues> {
  form: FormLike<T> & { watch: UseFormWatch<T> };
  /** The form path of each part of the definition: `key`, or `fields.2.key` in a list. */
  name: (part: keyof FieldDraft) => Path<T>;
  autoFocus?: boolean;
}

/**
 * The inputs of one field definition (a customer custom field, a ticket category's field):
 * key, label, type, required, the options of a choice type, and the default value.
 */
export function FieldDefinitionInputs<T extends FieldValues>({ form, name, autoFocus = false }: FieldDefinitionInputsProps<T>) {
  const t = useT();
  const type = String(form.watch(name('type')));
  const types = FIELD_TYPES.map((value) => ({ value, label: t(`admin.fieldSchema.type.${value}` as MessageId) }));
  return (
    <>
      <TextField
        form={form}
        name={name('key')}
        label={t('admin.fieldSchema.key')}
        hint={t('admin.fieldSchema.keyRule')}
        required
        autoComplete="off"
        spellCheck={false}
        autoFocus={autoFocus}
      />
      <TextField form={form} name={name('label')} label={t('admin.fieldSchema.label')} required autoComplete="off" />
      <SelectField form={form} name={name('type')} label={t('admin.fieldSchema.type')} options={types} required />
      {isChoice(type) ? (
        <TextAreaField form={form} name={name('options')} label={t('admin.fieldSchema.options')} hint={t('admin.fieldSchema.optionsHint')} required />
      ) : null}
      <TextField
        form={form}
        name={name('default')}
        label={t('admin.fieldSchema.default')}
        hint={t('admin.fieldSchema.defaultHint')}
        autoComplete="off"
      />
      <CheckboxField form={form} name={name('required')} label={t('admin.fieldSchema.required')} />
    </>
  );
}
