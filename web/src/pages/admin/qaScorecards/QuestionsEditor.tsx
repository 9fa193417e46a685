import { useRef, useState } from 'react';
import { useFieldArray, useWatch, type UseFormReturn } from 'react-hook-form';

import { useT } from '../../../i18n/useT';
import { CheckboxField } from '../../../ui/CheckboxField';
import { OrderedItemControls, type MoveDirection } from '../../../ui/OrderedItemControls';
import { SelectField } from '../../../ui/SelectField';
import { TextField } from '../../../ui/TextField';
import { arrayError } from './SectionsEditor';
import { MAX_QUESTIONS, newQuestion, type ScorecardDraft, type ScorecardValues } from './scorecardDraft';

interface QuestionsEditorProps {
  form: UseFormReturn<ScorecardDraft, unknown, ScorecardValues>;
  section: number;
}

/** One section's questions: text, type (yes/no or a 1..N scale), weight, N/A and auto-fail. */
export function QuestionsEditor({ form, section }: QuestionsEditorProps) {
  const t = useT();
  const name = `sections.${section}.questions` as const;
  const { fields, append, remove, move } = useFieldArray({ control: form.control, name });
  const types = useWatch({ control: form.control, name });
  const [moved, setMoved] = useState<{ id: string; direction: MoveDirection } | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const listError = arrayError(form.formState.errors, name);
  const typeOptions = [
    { value: 'YES_NO', label: t('admin.qa.type.YES_NO') },
    { value: 'SCALE', label: t('admin.qa.type.SCALE') },
  ];
  return (
    <div className="editor-list">
      {listError ? <p className="field-error">{listError}</p> : null}
      <ol className="editor-items">
        {fields.map((field, index) => (
          <li key={field.id}>
            <fieldset className="editor-item">
              <legend>{t('admin.qa.questionN', { section: section + 1, n: index + 1 })}</legend>
              <TextField form={form} name={`${name}.${index}.text`} label={t('admin.qa.questionText')} required autoComplete="off" />
              <div className="editor-row">
                <SelectField form={form} name={`${name}.${index}.type`} label={t('admin.qa.questionType')} options={typeOptions} />
                {types[index]?.type === 'SCALE' ? (
                  <TextField form={form} name={`${name}.${index}.scaleMax`} label={t('admin.qa.scaleMax')} inputMode="numeric" required />
                ) : null}
                <TextField form={form} name={`${name}.${index}.weight`} label={t('admin.qa.weight')} inputMode="decimal" required />
              </div>
              <div className="editor-row">
                <CheckboxField form={form} name={`${name}.${index}.allowNa`} label={t('admin.qa.allowNa')} />
                <CheckboxField form={form} name={`${name}.${index}.autoFail`} label={t('admin.qa.autoFail')} hint={t('admin.qa.autoFailHint')} />
              </div>
              <OrderedItemControls
                index={index}
                count={fields.length}
                removeLabel={t('admin.qa.removeQuestion')}
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
        disabled={fields.length >= MAX_QUESTIONS}
        onClick={() => append(newQuestion(), { focusName: `${name}.${fields.length}.text` })}
      >
        {t('admin.qa.addQuestion', { section: section + 1 })}
      </button>
    </div>
  );
}
