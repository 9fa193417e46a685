import { useCallback } from 'react';
import { z } from 'zod';

import { useT } from '../../i18n/useT';

/**
 * A zod rule for a whole number typed into a text field: the digits, between `min` and
 * `max`, read as a number (the routing forms' seconds, levels and SIP codes).
 */
export function useWholeNumber() {
  const t = useT();
  return useCallback(
    (min: number, max: number) =>
      z
        .string()
        .trim()
        .regex(/^\d+$/, t('admin.queues.range', { min, max }))
        .transform(Number)
        .pipe(z.number().min(min, t('admin.queues.range', { min, max })).max(max, t('admin.queues.range', { min, max }))),
    [t],
  );
}
