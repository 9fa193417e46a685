import { describe, expect, it } from 'vitest';

import { isPublicPath, loginPath, safeNext } from '../auth/paths';
import { canSee, homePath, parseRole, type Role } from '../auth/roles';
import { ADMIN_PAGES, AGENT_PAGES, SUPERVISOR_PAGES, visibleAreas } from './navigation';

const areasOf = (role: Role) => visibleAreas(role).map((item) => item.area);

describe('role-aware navigation', () => {
  it('shows each role only the areas it may open', () => {
    expect(areasOf('owner')).toEqual(['admin', 'supervisor', 'agent']);
    expect(areasOf('admin')).toEqual(['admin', 'supervisor', 'agent']);
    expect(areasOf('supervisor')).toEqual(['supervisor', 'agent']);
    expect(areasOf('agent')).toEqual(['agent']);
  });

  it('agrees with the guard', () => {
    for (const role of ['owner', 'admin', 'supervisor', 'agent'] as const) {
      for (const area of ['admin', 'supervisor', 'agent'] as const) {
        expect(areasOf(role).includes(area)).toBe(canSee(role, area));
      }
    }
  });

  it('sends / to the most specific area of the role', () => {
    expect(homePath('owner')).toBe('/admin');
    expect(homePath('admin')).toBe('/admin');
    expect(homePath('supervisor')).toBe('/supervisor');
    expect(homePath('agent')).toBe('/agent');
  });

  it('gives an unknown role the least', () => {
    expect(parseRole('OWNER')).toBe('owner');
    expect(parseRole('superuser')).toBe('agent');
    expect(parseRole(undefined)).toBe('agent');
  });

  it('lists every admin page under /admin', () => {
    expect(ADMIN_PAGES.map((p) => p.to)).toEqual([
      '/admin',
      '/admin/users',
      '/admin/api-keys',
      '/admin/skills',
      '/admin/break-reasons',
      '/admin/dispositions',
      '/admin/queues',
      '/admin/phone-numbers',
      '/admin/call-flows',
      '/admin/agents',
      '/admin/crm',
      '/admin/teams',
      '/admin/ticket-categories',
      '/admin/customers',
      '/admin/qa-scorecards',
      '/admin/recording-access-log',
      '/admin/settings',
    ]);
  });

});

describe('area pages', () => {
  it('lists the supervisor and agent pages under their areas', () => {
    expect(SUPERVISOR_PAGES.map((p) => p.to)).toEqual([
      '/supervisor',
      '/supervisor/reports',
      '/supervisor/report-builder',
      '/supervisor/staffing',
      '/supervisor/recordings',
      '/supervisor/qa',
    ]);
    expect(AGENT_PAGES.map((p) => p.to)).toEqual([
      '/agent',
      '/agent/evaluations',
      '/agent/recordings',
    ]);
  });
});

describe('log-in redirects', () => {
  it('returns to the page the user was on', () => {
    expect(loginPath('/admin/skills?q=bil')).toBe('/login?next=%2Fadmin%2Fskills%3Fq%3Dbil');
    expect(loginPath('/')).toBe('/login');
  });

  it('never redirects off this app', () => {
    expect(safeNext('//evil.example/x')).toBeNull();
    expect(safeNext('https://evil.example')).toBeNull();
    expect(safeNext('/\\evil.example')).toBeNull();
    expect(safeNext('/login')).toBeNull();
    expect(safeNext('/admin/queues')).toBe('/admin/queues');
  });

  it('knows the public pages', () => {
    expect(isPublicPath('/login')).toBe(true);
    expect(isPublicPath('/t/acme')).toBe(true);
    expect(isPublicPath('/reset-password')).toBe(true);
    expect(isPublicPath('/loginx')).toBe(false);
    expect(isPublicPath('/admin')).toBe(false);
  });
});
