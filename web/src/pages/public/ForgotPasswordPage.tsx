import { useMemo, useState } from 'react';
import { Link } from 'react-router';
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

const RequestPasswordResetMutation = graphql(`
  mutation RequestPasswordReset($input: RequestPasswordResetInput!) {
    requestPasswordReset(input: $input)
  }
`);

/** Asks for a reset link. The answer is the same whether the account exists or not. */
export default function ForgotPasswordPage() {
  const t = useT();
  const [sent, setSent] = useState(false);
  const [, requestReset] = useMutation(RequestPasswordResetMutation);
  const schema = useMemo(
    () =>
      z.object({
        tenantSlug: z.string().trim().min(1, t('validation.required')),
        email: z.string().trim().min(1, t('validation.required')),
      }),
    [t],
  );
  const { form, problem, busy, handleSubmit } = useServerForm({ schema, defaultValues: { tenantSlug: '', email: '' } });
  const onSubmit = handleSubmit(
    (input) => requestReset({ input }, AUTH_OPTIONAL),
    () => setSent(true),
  );

  return (
    <AuthCard title={t('forgot.title')} footer={<Link to="/login">{t('forgot.back')}</Link>}>
      {sent ? (
        <p role="status" className="alert alert-success">
          {t('forgot.sent')}
        </p>
      ) : (
        <form onSubmit={onSubmit} noValidate className="form">
          <p>{t('forgot.intro')}</p>
          <TextField form={form} name="tenantSlug" label={t('field.tenant')} autoCapitalize="none" spellCheck={false} required />
          <TextField form={form} name="email" label={t('field.email')} type="email" autoComplete="email" required />
          <FormAlert problem={problem} />
          <Button type="submit" variant="primary" busy={busy}>
            {t('forgot.submit')}
          </Button>
        </form>
      )}
    </AuthCard>
  );
}
