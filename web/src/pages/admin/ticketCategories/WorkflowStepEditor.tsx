import { useRef, useState } from 'react';
import { get, useFieldArray, type FieldErrors, type UseFormReturn } from 'react-hook-form';

import type { MessageId } from '../../../i18n/messages';
import { useT } from '../../../i18n/useT';
import { OrderedItemControls, type MoveDirection } from '../../../ui/OrderedItemControls';
import { SelectField } from '../../../ui/SelectField';
import { TextField } from '../../../ui/TextField';
import { MAX_STEPS, newStep, ROLES, SLA_UNITS, type CategoryDraft, type CategoryValues } from './categoryDraft';

interface WorkflowStepEditorProps {
  form: UseFormReturn<CategoryDraft, unknown, CategoryValues>;
  teams: readonly { id: string; name: string }[];
}

/**
 * The workflow: an ordered list of steps, each with its name, its owner (a team, a role, or
 * both) and its SLA. Steps are added, removed and moved up or down with buttons, so the
 * order is set by keyboard as well; the focus follows a moved step.
 */
export function WorkflowStepEditor({ form, teams }: WorkflowStepEditorProps) {
  const t = useT();
  const { fields, append, remove, move } = useFieldArray({ control: form.control, name: 'steps' });
  const [moved, setMoved] = useState<{ id: string; direction: MoveDirection } | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const listError = arrayError(form.formState.errors, 'steps');

  const teamOptions = [{ value: '', label: t('admin.ticketCategories.noTeam') }, ...teams.map((team) => ({ value: team.id, label: team.name }))];
  const roleOptions = [
    { value: '', label: t('admin.ticketCategories.noRole') },
    ...ROLES.map((role) => ({ value: role, label: t(`admin.ticketCategories.role.${role}` as MessageId) })),
  ];
  const unitOptions = SLA_UNITS.map((unit) => ({ value: unit, label: t(`admin.ticketCategories.unit.${unit}` as MessageId) }));

  return (
    <fieldset className="editor-list" aria-describedby={listError ? 'workflow-error' : undefined}>
      <legend>{t('admin.ticketCategories.workflow')}</legend>
      <p className="field-hint">{t('admin.ticketCategories.workflowHint')}</p>
      {listError ? (
        <p id="workflow-error" className="field-error">
          {listError}
        </p>
      ) : null}
      <ol className="editor-items">
        {fields.map((field, index) => (
          <li key={field.id}>
            <fieldset className="editor-item">
              <legend>{t('admin.ticketCategories.stepN', { n: index + 1 })}</legend>
              <TextField form={form} name={`steps.${index}.name`} label={t('admin.ticketCategories.stepName')} required autoComplete="off" />
              <div className="editor-row">
                <SelectField form={form} name={`steps.${index}.teamId`} label={t('admin.ticketCategories.team')} options={teamOptions} />
                <SelectField form={form} name={`steps.${index}.role`} label={t('admin.ticketCategories.role')} options={roleOptions} />
              </div>
              <div className="editor-row">
                <TextField
                  form={form}
                  name={`steps.${index}.slaAmount`}
                  label={t('admin.ticketCategories.sla')}
                  hint={t('admin.ticketCategories.slaHint')}
                  inputMode="decimal"
                  required
                />
                <SelectField form={form} name={`steps.${index}.slaUnit`} label={t('admin.ticketCategories.slaUnit')} options={unitOptions} />
              </div>
              <OrderedItemControls
                index={index}
                count={fields.length}
                removeLabel={t('admin.ticketCategories.removeStep')}
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
        disabled={fields.length >= MAX_STEPS}
        onClick={() => append(newStep(), { focusName: `steps.${fields.length}.name` })}
      >
        {t('admin.ticketCategories.addStep')}
      </button>
    </fieldset>
  );
}

/** The message of an error on a whole list (react-hook-form keeps it on the list or its root). */
export function arrayError(errors: FieldErrors<CategoryDraft>, name: 'steps' | 'fields'): string | undefined {
  const error = get<FieldErrors<CategoryDraft>, { message?: string; root?: { message?: string } } | undefined>(errors, name);
  return error?.message ?? error?.root?.message;
}
