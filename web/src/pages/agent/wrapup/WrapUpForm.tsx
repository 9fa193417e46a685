import { useMemo } from 'react';
import { useMutation } from 'urql';
import { z } from 'zod';

import { useServerForm } from '../../../forms/useServerForm';
import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { FormAlert } from '../../../ui/FormAlert';
import { SelectField } from '../../../ui/SelectField';
import { TextAreaField } from '../../../ui/TextAreaField';
import { FinishWrapUpMutation, WrapUpCallMutation } from './operations';
import type { WrapUpStatus } from './useWrapUp';

export interface DispositionChoice {
  id: string;
  code: string;
  label: string;
  requiresNote: boolean;
}

interface WrapUpFormProps {
  callId: string;
  dispositions: readonly DispositionChoice[];
  /** Routing's answer to a save or a finish. */
  onAnswer: (status: WrapUpStatus) => void;
}

const NOTE_MAX = 2000; // routing/dispositions/schemas.py NOTE_MAX

/**
 * The disposition and note of the call being wrapped up. "Save" records them (the ACW timer
 * then ends the wrap-up); "Finish wrap-up" records them too, when chosen, and asks routing
 * to end ACW now. Routing may refuse (a required disposition): the refusal shows here.
 */
export function WrapUpForm({ callId, dispositions, onAnswer }: WrapUpFormProps) {
  const t = useT();
  const [, wrapUpCall] = useMutation(WrapUpCallMutation);
  const [, finishWrapUp] = useMutation(FinishWrapUpMutation);
  const schema = useMemo(
    () => ({
      schema: z
        .object({
          intent: z.enum(['save', 'finish']),
          dispositionId: z.string(),
          note: z.string().trim().max(NOTE_MAX, t('validation.tooLong', { max: NOTE_MAX })),
        })
        .superRefine((values, ctx) => {
          const chosen = dispositions.find((d) => d.id === values.dispositionId);
          if (values.intent === 'save' && !chosen) {
            ctx.addIssue({ code: 'custom', path: ['dispositionId'], message: t('wrapUp.chooseFirst') });
          }
          if (chosen?.requiresNote && !values.note) {
            ctx.addIssue({ code: 'custom', path: ['note'], message: t('wrapUp.noteRequired', { label: chosen.label }) });
          }
        }),
    }),
    [dispositions, t],
  );
  const { form, problem, busy, handleSubmit } = useServerForm({
    ...schema,
    mode: 'onSubmit',
    defaultValues: { intent: 'save', dispositionId: '', note: '' },
  });
  const submit = handleSubmit<unknown>(
    (values) =>
      values.dispositionId
        ? wrapUpCall({ input: { callId, dispositionId: values.dispositionId, note: values.note, finish: values.intent === 'finish' } })
        : finishWrapUp({}),
    (data) => {
      const answer = data as { wrapUpCall?: WrapUpStatus; finishWrapUp?: WrapUpStatus };
      const status = answer.wrapUpCall ?? answer.finishWrapUp;
      if (status) onAnswer(status);
    },
  );
  const options = [{ value: '', label: t('wrapUp.choose') }, ...dispositions.map((d) => ({ value: d.id, label: d.label }))];
  return (
    <form onSubmit={submit} noValidate className="form">
      <SelectField form={form} name="dispositionId" label={t('wrapUp.disposition')} options={options} />
      <TextAreaField form={form} name="note" label={t('wrapUp.note')} maxLength={NOTE_MAX} />
      <FormAlert problem={problem} />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy} onClick={() => form.setValue('intent', 'save')}>
          {t('wrapUp.save')}
        </Button>
        <Button type="submit" busy={busy} onClick={() => form.setValue('intent', 'finish')}>
          {t('wrapUp.finish')}
        </Button>
      </div>
    </form>
  );
}
