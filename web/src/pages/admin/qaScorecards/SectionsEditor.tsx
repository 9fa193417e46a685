import { useRef, useState } from 'react';
import { get, useFieldArray, type FieldErrors, type UseFormReturn } from 'react-hook-form';

import { useT } from '../../../i18n/useT';
import { OrderedItemControls, type MoveDirection } from '../../../ui/OrderedItemControls';
import { TextField } from '../../../ui/TextField';
import { QuestionsEditor } from './QuestionsEditor';
import { MAX_SECTIONS, newSection, type ScorecardDraft, type ScorecardValues } from './scorecardDraft';

interface SectionsEditorProps {
  form: UseFormReturn<ScorecardDraft, unknown, ScorecardValues>;
}

/**
 * The scorecard's sections, in order, each with its questions. Sections and questions are
 * added, removed and moved with buttons (OrderedItemControls), so the order is set by
 * keyboard as well; the focus follows what moved.
 */
export function SectionsEditor({ form }: SectionsEditorProps) {
  const t = useT();
  const { fields, append, remove, move } = useFieldArray({ control: form.control, name: 'sections' });
  const [moved, setMoved] = useState<{ id: string; direction: MoveDirection } | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const listError = arrayError(form.formState.errors, 'sections');
  return (
    <fieldset className="editor-list">
      <legend>{t('admin.qa.sections')}</legend>
      {listError ? <p className="field-error">{listError}</p> : null}
      <ol className="editor-items">
        {fields.map((field, index) => (
          <li key={field.id}>
            <fieldset className="editor-item">
              <legend>{t('admin.qa.sectionN', { n: index + 1 })}</legend>
              <TextField form={form} name={`sections.${index}.title`} label={t('admin.qa.sectionTitle')} required autoComplete="off" />
              <QuestionsEditor form={form} section={index} />
              <OrderedItemControls
                index={index}
                count={fields.length}
                removeLabel={t('admin.qa.removeSection')}
                canRemove={fields.length > 1}
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
      <button
        ref={addButton}
        type="button"
        className="btn btn-secondary editor-add"
        disabled={fields.length >= MAX_SECTIONS}
        onClick={() => append(newSection(), { focusName: `sections.${fields.length}.title` })}
      >
        {t('admin.qa.addSection')}
      </button>
    </fieldset>
  );
}

/** The message of an error on a whole list (react-hook-form keeps it on the list or its root). */
export function arrayError(errors: FieldErrors<ScorecardDraft>, name: string): string | undefined {
  const error = get<FieldErrors<ScorecardDraft>, { message?: string; root?: { message?: string } } | undefined>(errors, name);
  return error?.message ?? error?.root?.message;
}
