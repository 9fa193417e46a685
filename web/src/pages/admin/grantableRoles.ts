import type { Role } from '../../auth/roles';
import type { MessageId } from '../../i18n/messages';

/** The GraphQL `Role` enum, as mutations take it. */
export type RoleInput = 'OWNER' | 'ADMIN' | 'SUPERVISOR' | 'AGENT';

const ROLE_INPUTS: readonly RoleInput[] = ['OWNER', 'ADMIN', 'SUPERVISOR', 'AGENT'];

/** A role's name in the console (`User.role` and `ApiKey.role` are lower case). */
export function roleLabel(role: string): MessageId {
  return `admin.users.role.${role.toLowerCase()}` as MessageId;
}

/**
 * The roles `caller` may give a user or an API key: only an owner grants the owner role
 * (tenants/identity/service.py, _guard_owner_role), so an admin is not offered it.
 */
export function grantableRoles(caller: Role): readonly RoleInput[] {
  return caller === 'owner' ? ROLE_INPUTS : ROLE_INPUTS.filter((role) => role !== 'OWNER');
}

/** Whether `caller` may change a user or key holding `role` (an owner's: only an owner). */
export function mayManage(caller: Role, role: string): boolean {
  return caller === 'owner' || role.toLowerCase() !== 'owner';
}

export function toRoleInput(role: string): RoleInput {
  const upper = role.toUpperCase();
  return ROLE_INPUTS.find((r) => r === upper) ?? 'AGENT';
}
