import { useId } from 'react';
import { get, useFieldArray, useWatch, type ArrayPath, type FieldErrors, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';

import { useT } from '../i18n/useT';
import { Button } from './Button';
import './structured-fields.css';

/** The levels a skill is held or required at (routing/config/schemas.py LEVEL). */
export const SKILL_LEVELS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

interface SkillLevelPickerProps<T extends FieldValues, TOut> {
  form: UseFormReturn<T, unknown, TOut>;
  /** An array field of `{ skillId: string, <levelKey>: string }` rows. */
  name: ArrayPath<T>;
  /** The level's key in a row: `minLevel` (a queue's requirement) or `level` (an agent's). */
  levelKey: 'minLevel' | 'level';
  /** The group's title, e.g. "Required skills". */
  label: string;
  levelLabel: string;
  addLabel: string;
  /** Shown when no skill is picked. */
  empty: string;
  /** The tenant's skills. */
  skills: readonly { id: string; name: string }[];
}

interface Row {
  skillId: string;
}

/**
 * Skills with a level each: one row per skill (a skill select and a level 1–10), "Add"
 * and "Remove". Each row's fields are named `<name>.<i>.skillId` and `<name>.<i>.<levelKey>`,
 * as the API names them, so a server error on `requiredSkills.1.minLevel` lands in place.
 */
export function SkillLevelPicker<T extends FieldValues, TOut>({
  form,
  name,
  levelKey,
  label,
  levelLabel,
  addLabel,
  empty,
  skills,
}: SkillLevelPickerProps<T, TOut>) {
  const t = useT();
  const id = useId();
  const { fields, append, remove } = useFieldArray({ control: form.control, name });
  const rows = (useWatch({ control: form.control, name: name as unknown as Path<T> }) ?? []) as unknown as Row[];
  const errors = form.formState.errors;
  const found = get<FieldErrors<T>, { message?: string; root?: { message?: string } } | undefined>(errors, name);
  const groupError = found?.message ? found : found?.root;
  const taken = new Set(rows.map((row) => row.skillId));
  const nextSkill = skills.find((skill) => !taken.has(skill.id));
  const nameOf = (skillId: string) => skills.find((skill) => skill.id === skillId)?.name ?? '';

  return (
    <fieldset className="field skill-levels" aria-describedby={groupError?.message ? `${id}-error` : undefined}>
      <legend className="field-label">{label}</legend>
      {fields.length === 0 ? <p className="field-hint">{empty}</p> : null}
      <ul className="skill-levels-rows">
        {fields.map((field, index) => {
          const skillPath = `${name}.${index}.skillId` as Path<T>;
          const levelPath = `${name}.${index}.${levelKey}` as Path<T>;
          const skillError = get<FieldErrors<T>, { message?: string } | undefined>(errors, skillPath);
          const levelError = get<FieldErrors<T>, { message?: string } | undefined>(errors, levelPath);
          const rowId = `${id}-${index}`;
          const skillName = nameOf(rows[index]?.skillId ?? '');
          return (
            <li key={field.id} className="skill-levels-row">
              <div className={skillError ? 'field field-invalid' : 'field'}>
                <label htmlFor={`${rowId}-skill`} className="field-label">
                  {t('ui.skillLevels.skill')}
                </label>
                <select
                  id={`${rowId}-skill`}
                  className="input"
                  aria-invalid={skillError ? true : undefined}
                  aria-describedby={skillError ? `${rowId}-skill-error` : undefined}
                  {...form.register(skillPath)}
                >
                  {skills
                    .filter((skill) => skill.id === rows[index]?.skillId || !taken.has(skill.id))
                    .map((skill) => (
                      <option key={skill.id} value={skill.id}>
                        {skill.name}
                      </option>
                    ))}
                </select>
                {skillError ? (
                  <p id={`${rowId}-skill-error`} className="field-error">
                    {skillError.message}
                  </p>
                ) : null}
              </div>
              <div className={levelError ? 'field field-invalid' : 'field'}>
                <label htmlFor={`${rowId}-level`} className="field-label">
                  {levelLabel}
                </label>
                <select
                  id={`${rowId}-level`}
                  className="input"
                  aria-invalid={levelError ? true : undefined}
                  aria-describedby={levelError ? `${rowId}-level-error` : undefined}
                  {...form.register(levelPath)}
                >
                  {SKILL_LEVELS.map((level) => (
                    <option key={level} value={String(level)}>
                      {level}
                    </option>
                  ))}
                </select>
                {levelError ? (
                  <p id={`${rowId}-level-error`} className="field-error">
                    {levelError.message}
                  </p>
                ) : null}
              </div>
              <Button className="btn-small skill-levels-remove" onClick={() => remove(index)}>
                {t('ui.skillLevels.remove', { skill: skillName })}
              </Button>
            </li>
          );
        })}
      </ul>
      {groupError?.message ? (
        <p id={`${id}-error`} className="field-error">
          {groupError.message}
        </p>
      ) : null}
      <div>
        <Button
          className="btn-small"
          disabled={!nextSkill}
          onClick={() => {
            if (nextSkill) append({ skillId: nextSkill.id, [levelKey]: '1' } as never);
          }}
        >
          {addLabel}
        </Button>
      </div>
      {skills.length === 0 ? <p className="field-hint">{t('ui.skillLevels.noSkills')}</p> : null}
    </fieldset>
  );
}
