import { z } from 'zod';

import type { MessageId } from '../../i18n/messages';

/** The API's password rules (tenants/identity/schemas.py): 12 to 256 characters. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

type T = (id: MessageId, values?: Record<string, number>) => string;

export function passwordSchema(t: T) {
  return z
    .string()
    .min(PASSWORD_MIN, t('validation.passwordShort', { min: PASSWORD_MIN }))
    .max(PASSWORD_MAX, t('validation.tooLong', { max: PASSWORD_MAX }));
}
