import { useCallback } from 'react';
import { useIntl } from 'react-intl';

import type { MessageId } from './messages';

type Values = Record<string, string | number | boolean | Date | null | undefined>;

/** `t(id, values)`: a message of the catalogue, ids checked by the compiler. */
export function useT(): (id: MessageId, values?: Values) => string {
  const intl = useIntl();
  return useCallback((id: MessageId, values?: Values) => intl.formatMessage({ id }, values), [intl]);
}
