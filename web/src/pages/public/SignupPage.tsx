import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { z } from 'zod';

import { useResetApi } from '../../api/ApiProvider';
import { AUTH_OPTIONAL } from '../../api/client';
import { useServerForm } from '../../forms/useServerForm';
import { graphql } from '../../gql';
import { useT } from '../../i18n/useT';
import { Button } from '../../ui/Button';
import { FormAlert } from '../../ui/FormAlert';
import { TextField } from '../../ui/TextField';
import { AuthCard } from './AuthCard';
import { PASSWORD_MAX, PASSWORD_MIN, passwordSchema } from './passwordRules';

const SignUpMutation = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      user {
        id
        role
      }
      tenant {
        id
        slug
      }
    }
  }
`);

/** A new center and its owner; the owner lands in the admin console. */
export default function SignupPage() {
  const t = useT();
  const navigate = useNavigate();
  const resetApi = useResetApi();
  const [, signUp] = useMutation(SignUpMutation);

  const schema = useMemo(
    () =>
      z.object({
        tenantName: z.string().trim().min(2, t('validation.tooShort', { min: 2 })).max(120, t('validation.tooLong', { max: 120 })),
        adminEmail: z.string().trim().min(1, t('validation.required')).pipe(z.email(t('validation.email'))),
        adminDisplayName: z.string().trim().max(120, t('validation.tooLong', { max: 120 })),
        adminPassword: passwordSchema(t),
      }),
    [t],
  );
  const { form, problem, busy, handleSubmit } = useServerForm({
    schema,
    defaultValues: { tenantName: '', adminEmail: '', adminDisplayName: '', adminPassword: '' },
  });

  const onSubmit = handleSubmit(
    ({ adminDisplayName, ...input }) =>
      signUp({ input: { ...input, adminDisplayName: adminDisplayName || null } }, AUTH_OPTIONAL),
    async () => {
      resetApi();
      await navigate('/admin', { replace: true });
    },
  );

  return (
    <AuthCard
      title={t('signup.title')}
      intro={t('signup.intro')}
      footer={
        <span>
          {t('signup.haveAccount')} <Link to="/login">{t('login.title')}</Link>
        </span>
      }
    >
      <form onSubmit={onSubmit} noValidate className="form">
        <TextField form={form} name="tenantName" label={t('field.centerName')} autoComplete="organization" required />
        <TextField form={form} name="adminEmail" label={t('field.email')} type="email" autoComplete="email" required />
        <TextField form={form} name="adminDisplayName" label={t('field.yourName')} autoComplete="name" />
        <TextField
          form={form}
          name="adminPassword"
          label={t('field.password')}
          type="password"
          autoComplete="new-password"
          required
          hint={t('signup.passwordRules', { min: PASSWORD_MIN, max: PASSWORD_MAX })}
        />
        <FormAlert problem={problem} />
        <Button type="submit" variant="primary" busy={busy}>
          {t('signup.submit')}
        </Button>
      </form>
    </AuthCard>
  );
}
