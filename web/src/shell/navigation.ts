import { canSee, type Area, type Role } from '../auth/roles';
import type { MessageId } from '../i18n/messages';

export interface NavItem {
  to: string;
  label: MessageId;
}

export interface AreaItem extends NavItem {
  area: Area;
}

/** The shell's top-level areas, in the order the header shows them. */
export const AREAS: readonly AreaItem[] = [
  { area: 'admin', to: '/admin', label: 'nav.admin' },
  { area: 'supervisor', to: '/supervisor', label: 'nav.supervisor' },
  { area: 'agent', to: '/agent', label: 'nav.agent' },
];

/**
 * Every admin page, listed in the admin navigation even while a page is a placeholder.
 * Adding an admin page: add it here, add its route in app/routes.tsx, and its label to
 * both catalogues.
 */
export const ADMIN_PAGES: readonly NavItem[] = [
  { to: '/admin', label: 'nav.admin.setup' },
  { to: '/admin/users', label: 'nav.admin.users' },
  { to: '/admin/api-keys', label: 'nav.admin.apiKeys' },
  { to: '/admin/skills', label: 'nav.admin.skills' },
  { to: '/admin/break-reasons', label: 'nav.admin.breakReasons' },
  { to: '/admin/dispositions', label: 'nav.admin.dispositions' },
  { to: '/admin/queues', label: 'nav.admin.queues' },
  { to: '/admin/phone-numbers', label: 'nav.admin.phoneNumbers' },
  { to: '/admin/call-flows', label: 'nav.admin.callFlows' },
  { to: '/admin/agents', label: 'nav.admin.agents' },
  { to: '/admin/crm', label: 'nav.admin.crm' },
  { to: '/admin/teams', label: 'nav.admin.teams' },
  { to: '/admin/ticket-categories', label: 'nav.admin.ticketCategories' },
  { to: '/admin/customers', label: 'nav.admin.customers' },
  { to: '/admin/qa-scorecards', label: 'nav.admin.qaScorecards' },
  { to: '/admin/recording-access-log', label: 'nav.admin.recordingAccess' },
  { to: '/admin/settings', label: 'nav.admin.settings' },
];

/**
 * The supervisor area's pages, in its side navigation (SupervisorNav). Adding one: add it
 * here, its route in app/routes.tsx, and its label to both catalogues.
 */
export const SUPERVISOR_PAGES: readonly NavItem[] = [
  { to: '/supervisor', label: 'nav.supervisor.wallboard' },
  { to: '/supervisor/reports', label: 'nav.supervisor.reports' },
  { to: '/supervisor/report-builder', label: 'nav.supervisor.reportBuilder' },
  { to: '/supervisor/staffing', label: 'nav.supervisor.staffing' },
  { to: '/supervisor/recordings', label: 'nav.supervisor.recordings' },
  { to: '/supervisor/qa', label: 'nav.supervisor.qa' },
];

/** The agent area's pages, shown as tabs above each of them (AreaTabs). */
export const AGENT_PAGES: readonly NavItem[] = [
  { to: '/agent', label: 'nav.agent.desktop' },
  { to: '/agent/evaluations', label: 'nav.agent.evaluations' },
  { to: '/agent/recordings', label: 'nav.agent.recordings' },
];

/** The areas `role` may open: the only links the header shows it. */
export function visibleAreas(role: Role): AreaItem[] {
  return AREAS.filter((item) => canSee(role, item.area));
}
