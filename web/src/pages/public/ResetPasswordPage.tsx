import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation } from 'urql';
import { z } from 'zod';

import { AUTH_OPTIONAL } from '../../api/client';
import { useServerForm } from '../../forms/useServerForm';
import { graphql } from '../../gql';
import { useT } from '../../i18n/useT';
import { Button } from '../../ui/Button';
import { FormAlert } from '../../ui/FormAlert';
import { TextField } from '../../ui/TextField';
import { AuthCard } from './AuthCard';
import { PASSWORD_MAX, PASSWORD_MIN, passwordSchema } from './passwordRules';

const ResetPasswordMutation = graphql(`
  mutation ResetPassword($input: ResetPasswordInput!) {
    resetPassword(input: $input)
  }
`);

/** /reset-password?token=…: the link the server printed (or mailed). */
export default function ResetPasswordPage() {
  const t = useT();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [done, setDone] = useState(false);
  const [, resetPassword] = useMutation(ResetPasswordMutation);
  const schema = useMemo(
    () =>
      z
        .object({ newPassword: passwordSchema(t), confirmPassword: z.string() })
        .refine((v) => v.newPassword === v.confirmPassword, {
          error: t('validation.passwordsDiffer'),
          path: ['confirmPassword'],
        }),
    [t],
  );
  const { form, problem, busy, handleSubmit } = useServerForm({
    schema,
    defaultValues: { newPassword: '', confirmPassword: '' },
    problemTexts: { unauthenticated: 'reset.invalidLink' },
  });
  const onSubmit = handleSubmit(
    ({ newPassword }) => resetPassword({ input: { token, newPassword } }, AUTH_OPTIONAL),
    () => setDone(true),
  );

  if (!token) {
    return (
      <AuthCard title={t('reset.title')} footer={<Link to="/forgot-password">{t('reset.askAgain')}</Link>}>
        <p className="alert alert-error">{t('reset.noToken')}</p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t('reset.title')} footer={<Link to="/login">{t('forgot.back')}</Link>}>
      {done ? (
        <p role="status" className="alert alert-success">
          {t('reset.done')} <Link to="/login">{t('login.title')}</Link>
        </p>
      ) : (
        <form onSubmit={onSubmit} noValidate className="form">
          <TextField
            form={form}
            name="newPassword"
            label={t('field.newPassword')}
            type="password"
            autoComplete="new-password"
            required
            hint={t('signup.passwordRules', { min: PASSWORD_MIN, max: PASSWORD_MAX })}
          />
          <TextField form={form} name="confirmPassword" label={t('field.confirmPassword')} type="password" autoComplete="new-password" required />
          <FormAlert problem={problem} />
          {problem?.kind === 'unauthenticated' ? (
            <p>
              <Link to="/forgot-password">{t('reset.askAgain')}</Link>
            </p>
          ) : null}
          <Button type="submit" variant="primary" busy={busy}>
            {t('reset.submit')}
          </Button>
        </form>
      )}
    </AuthCard>
  );
}
