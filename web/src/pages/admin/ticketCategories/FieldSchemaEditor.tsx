import { useRef, useState } from 'react';
import { useFieldArray, type UseFormReturn } from 'react-hook-form';

import { useT } from '../../../i18n/useT';
import { OrderedItemControls, type MoveDirection } from '../../../ui/OrderedItemControls';
import { FieldDefinitionInputs } from '../fieldSchema/FieldDefinitionInputs';
import { toFieldDraft } from '../fieldSchema/fieldDefinition';
import type { CategoryDraft, CategoryValues } from './categoryDraft';
import { arrayError } from './WorkflowStepEditor';

/** A ticket category's field schema: the fields its tickets carry, in order. */
export function FieldSchemaEditor({ form }: { form: UseFormReturn<CategoryDraft, unknown, CategoryValues> }) {
  const t = useT();
  const { fields, append, remove, move } = useFieldArray({ control: form.control, name: 'fields' });
  const [moved, setMoved] = useState<{ id: string; direction: MoveDirection } | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const listError = arrayError(form.formState.errors, 'fields');

  return (
    <fieldset className="editor-list" aria-describedby={listError ? 'field-schema-error' : undefined}>
      <legend>{t('admin.ticketCategories.fieldSchema')}</legend>
      <p className="field-hint">{t('admin.ticketCategories.fieldSchemaHint')}</p>
      {listError ? (
        <p id="field-schema-error" className="field-error">
          {listError}
        </p>
      ) : null}
      {fields.length ? (
        <ol className="editor-items">
          {fields.map((field, index) => (
            <li key={field.id}>
              <fieldset className="editor-item">
                <legend>{t('admin.ticketCategories.fieldN', { n: index + 1 })}</legend>
                <FieldDefinitionInputs form={form} name={(part) => `fields.${index}.${part}`} />
                <OrderedItemControls
                  index={index}
                  count={fields.length}
                  removeLabel={t('admin.ticketCategories.removeField')}
                  onMove={(from, to, direction) => {
                    move(from, to);
                    setMoved({ id: field.id, direction });
                  }}
                  onRemove={() => {
                    remove(index);
                    addButton.current?.focus();
                  }}
                  focus={moved?.id === field.id ? moved : null}
                />
              </fieldset>
            </li>
          ))}
        </ol>
      ) : null}
      <button
        ref={addButton}
        type="button"
        className="btn btn-secondary editor-add"
        onClick={() => append(toFieldDraft(null), { focusName: `fields.${fields.length}.key` })}
      >
        {t('admin.ticketCategories.addField')}
      </button>
    </fieldset>
  );
}
