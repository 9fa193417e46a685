import { CombinedError } from '@urql/core';
import { describe, expect, it } from 'vitest';

import { classifyError, resolveField } from './errors';

const coded = (code: string, extra: Record<string, unknown> = {}, message = 'boom') =>
  new CombinedError({ graphQLErrors: [{ message, extensions: { code, ...extra } }] });

describe('classifyError', () => {
  it('keeps the field a BAD_USER_INPUT names', () => {
    expect(classifyError(coded('BAD_USER_INPUT', { field: 'name' }, 'name: too long'))).toEqual({
      kind: 'badInput',
      message: 'name: too long',
      field: 'name',
    });
  });

  it('says what conflicts', () => {
    const problem = classifyError(coded('CONFLICT', { field: 'name' }, "a skill named 'Billing' already exists"));
    expect(problem).toMatchObject({ kind: 'conflict', message: "a skill named 'Billing' already exists", field: 'name' });
  });

  it('treats network errors, 5xx and INTERNAL as retryable', () => {
    expect(classifyError(new CombinedError({ networkError: new TypeError('Failed to fetch') })).kind).toBe('retryable');
    const bad = new CombinedError({ networkError: new Error('Internal Server Error'), response: new Response('', { status: 502 }) });
    expect(classifyError(bad).kind).toBe('retryable');
    expect(classifyError(coded('INTERNAL')).kind).toBe('retryable');
  });

  it('names the other codes', () => {
    expect(classifyError(coded('UNAUTHENTICATED')).kind).toBe('unauthenticated');
    expect(classifyError(coded('FORBIDDEN')).kind).toBe('forbidden');
    expect(classifyError(coded('NOT_FOUND')).kind).toBe('notFound');
    expect(classifyError(coded('RATE_LIMITED', { retryAfter: 12 }))).toMatchObject({ kind: 'rateLimited', retryAfter: 12 });
    expect(classifyError(coded('SOMETHING_NEW')).kind).toBe('other');
  });
});

describe('resolveField', () => {
  const signUpFields = ['tenantName', 'adminEmail', 'adminPassword'] as const;

  it('maps camelCase and snake_case to the form field', () => {
    expect(resolveField('adminPassword', signUpFields)).toBe('adminPassword');
    expect(resolveField('admin_password', signUpFields)).toBe('adminPassword');
    expect(resolveField('tenant_name', signUpFields)).toBe('tenantName');
  });

  it('maps dotted paths to the deepest field the form has', () => {
    expect(resolveField('input.adminEmail', signUpFields)).toBe('adminEmail');
    const queueFields = ['name', 'requiredSkills', 'requiredSkills.0', 'requiredSkills.0.minLevel'] as const;
    expect(resolveField('requiredSkills.0.minLevel', queueFields)).toBe('requiredSkills.0.minLevel');
    expect(resolveField('required_skills.0.min_level', queueFields)).toBe('requiredSkills.0.minLevel');
    expect(resolveField('requiredSkills.3', ['name', 'requiredSkills'] as const)).toBe('requiredSkills');
  });

  it('uses aliases for names the form spells differently', () => {
    expect(resolveField('tenant_name', ['centerName'] as const, { tenantName: 'centerName' })).toBe('centerName');
  });

  it('returns null for fields the form does not have', () => {
    expect(resolveField('sipUser', signUpFields)).toBeNull();
    expect(resolveField(null, signUpFields)).toBeNull();
    expect(resolveField('', signUpFields)).toBeNull();
  });
});
