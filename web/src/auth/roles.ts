/** A user's role within its tenant, as the API spells it (`User.role`). */
export type Role = 'owner' | 'admin' | 'supervisor' | 'agent';

const ROLES: readonly Role[] = ['owner', 'admin', 'supervisor', 'agent'];

/** An unknown role gets the least the app shows (the server decides what it may do anyway). */
export function parseRole(value: string | null | undefined): Role {
  const lower = value?.toLowerCase();
  return ROLES.find((r) => r === lower) ?? 'agent';
}

export type Area = 'admin' | 'supervisor' | 'agent';

/** Who sees each area; mirrors the API's MANAGERS and SUPERVISORS (tenants/identity/roles.py). */
export const AREA_ROLES: Record<Area, readonly Role[]> = {
  admin: ['owner', 'admin'],
  supervisor: ['owner', 'admin', 'supervisor'],
  // Every role may hold an agent profile, so every role sees the agent desktop.
  agent: ['owner', 'admin', 'supervisor', 'agent'],
};

export function canSee(role: Role, area: Area): boolean {
  return AREA_ROLES[area].includes(role);
}

/** Where `/` takes a role: its most specific area. */
export function homePath(role: Role): string {
  if (canSee(role, 'admin')) return '/admin';
  if (canSee(role, 'supervisor')) return '/supervisor';
  return '/agent';
}
