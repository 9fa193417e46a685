import { useMemo } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useMutation } from 'urql';
import { z } from 'zod';

import { useResetApi } from '../../api/ApiProvider';
import { AUTH_OPTIONAL } from '../../api/client';
import { safeNext } from '../../auth/paths';
import { homePath, parseRole } from '../../auth/roles';
import { useServerForm } from '../../forms/useServerForm';
import { graphql } from '../../gql';
import { useT } from '../../i18n/useT';
import { Button } from '../../ui/Button';
import { FormAlert } from '../../ui/FormAlert';
import { TextField } from '../../ui/TextField';
import { AuthCard } from './AuthCard';

// Never select AuthPayload.token: the session is the httpOnly cookie the response sets.
const LogInMutation = graphql(`
  mutation LogIn($input: LogInInput!) {
    logIn(input: $input) {
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

/** /login and /t/:slug (the tenant's own log-in URL, with its slug filled in). */
export default function LoginPage() {
  const t = useT();
  const { slug } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const resetApi = useResetApi();
  const [, logIn] = useMutation(LogInMutation);

  const schema = useMemo(
    () =>
      z.object({
        tenantSlug: z.string().trim().min(1, t('validation.required')).max(63, t('validation.tooLong', { max: 63 })),
        email: z.string().trim().min(1, t('validation.required')).max(254, t('validation.tooLong', { max: 254 })),
        password: z.string().min(1, t('validation.required')).max(256, t('validation.tooLong', { max: 256 })),
      }),
    [t],
  );
  const { form, problem, busy, handleSubmit } = useServerForm({
    schema,
    defaultValues: { tenantSlug: slug ?? '', email: '', password: '' },
    problemTexts: { unauthenticated: 'login.failed' },
  });

  const onSubmit = handleSubmit(
    (input) => logIn({ input }, AUTH_OPTIONAL),
    async (data) => {
      resetApi();
      await navigate(safeNext(params.get('next')) ?? homePath(parseRole(data.logIn.user.role)), { replace: true });
    },
  );

  return (
    <AuthCard
      title={t('login.title')}
      footer={
        <>
          <Link to="/forgot-password">{t('login.forgot')}</Link>
          <span>
            {t('login.noAccount')} <Link to="/signup">{t('signup.title')}</Link>
          </span>
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate className="form">
        <TextField form={form} name="tenantSlug" label={t('field.tenant')} hint={t('login.tenantHint')} autoComplete="organization" autoCapitalize="none" spellCheck={false} required />
        <TextField form={form} name="email" label={t('field.email')} type="email" autoComplete="username" required />
        <TextField form={form} name="password" label={t('field.password')} type="password" autoComplete="current-password" required />
        <FormAlert problem={problem} />
        <Button type="submit" variant="primary" busy={busy}>
          {t('login.submit')}
        </Button>
      </form>
    </AuthCard>
  );
}
