import { z } from 'zod';

import type { CustomFieldType } from '../../../gql/graphql';
import type { MessageId } from '../../../i18n/messages';

/** The schema's CustomFieldType, in the order the type select offers them. */
export const FIELD_TYPES: readonly CustomFieldType[] = ['TEXT', 'NUMBER', 'DATE', 'SELECT', 'MULTI_SELECT', 'BOOLEAN', 'PHONE', 'EMAIL'];

export function isChoice(type: string): boolean {
  return type === 'SELECT' || type === 'MULTI_SELECT';
}

/** A field definition as its form holds it: options one per line, the default as typed. */
export interface FieldDraft {
  key: string;
  label: string;
  type: CustomFieldType;
  required: boolean;
  options: string;
  default: string;
}

/** What the API returns for a definition (CustomField, TicketFieldDefinition). */
export interface FieldDefinition {
  key: string;
  label: string;
  type: CustomFieldType;
  required: boolean;
  options: readonly string[];
  default?: unknown;
}

type T = (id: MessageId, values?: Record<string, string | number>) => string;

/**
 * The rules of tenants/crm/schemas.py CustomFieldIn that a person can fix while typing:
 * the key's spelling, the lengths, and options exactly for the choice types. The server
 * checks the rest (a default of the right type, distinct options) and says so on the field.
 */
export function fieldDraftShape(t: T) {
  return {
    key: z
      .string()
      .trim()
      .min(1, t('validation.required'))
      .max(64, t('validation.tooLong', { max: 64 }))
      .regex(/^[a-z][a-z0-9_]*$/, t('admin.fieldSchema.keyRule')),
    label: z.string().trim().min(1, t('validation.required')).max(120, t('validation.tooLong', { max: 120 })),
    type: z.enum(FIELD_TYPES as [CustomFieldType, ...CustomFieldType[]]),
    required: z.boolean(),
    options: z.string(),
    default: z.string(),
  };
}

/** Reports (through `addIssue`) a choice field without choices; the form puts it on `options`. */
export function checkOptions(t: T, draft: { type: string; options: string }, addIssue: (message: string) => void): void {
  const options = optionLines(draft.options);
  if (isChoice(draft.type) && options.length === 0) addIssue(t('admin.fieldSchema.optionsNeeded'));
}

export function optionLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

export function toFieldDraft(definition: FieldDefinition | null): FieldDraft {
  return {
    key: definition?.key ?? '',
    label: definition?.label ?? '',
    type: definition?.type ?? 'TEXT',
    required: definition?.required ?? false,
    options: definition?.options.join('\n') ?? '',
    default: defaultText(definition?.default),
  };
}

/** The API input (CustomFieldInput's shared part) for a draft. */
export function toFieldInput(draft: FieldDraft) {
  return {
    key: draft.key,
    label: draft.label,
    type: draft.type,
    required: draft.required,
    // Options only for choice types: the server refuses them on the others.
    options: isChoice(draft.type) ? optionLines(draft.options) : null,
    default: defaultValue(draft.type, draft.default),
  };
}

function defaultText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The typed default: a number, true/false, a list of choices, or the text (the server checks it). */
export function defaultValue(type: CustomFieldType, text: string): unknown {
  const value = text.trim();
  if (!value) return null;
  switch (type) {
    case 'NUMBER':
      return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    case 'BOOLEAN':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'MULTI_SELECT':
      return value
        .split(',')
        .map((choice) => choice.trim())
        .filter(Boolean);
    default:
      return value;
  }
}
