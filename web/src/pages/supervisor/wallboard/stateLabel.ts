import type { MessageId } from '../../../i18n/messages';
import { STATE_FAMILIES, stateFamily, stateReason } from './wallboardState';

type T = (id: MessageId, values?: Record<string, string | number>) => string;

/** An agent state in words: `break:lunch` → "Break (lunch)"; an unknown state as it is. */
export function stateLabel(t: T, state: string): string {
  const family = stateFamily(state);
  const known = STATE_FAMILIES.find((f) => f === family);
  if (!known) return state;
  const name = t(`supervisor.state.${known}`);
  const reason = stateReason(state);
  return reason ? t('supervisor.state.withReason', { state: name, reason }) : name;
}
