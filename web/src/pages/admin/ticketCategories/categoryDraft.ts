import { z } from 'zod';

import type { Role } from '../../../gql/graphql';
import type { MessageId } from '../../../i18n/messages';
import { checkOptions, fieldDraftShape, toFieldDraft, toFieldInput, type FieldDefinition } from '../fieldSchema/fieldDefinition';

export const ROLES: readonly Role[] = ['OWNER', 'ADMIN', 'SUPERVISOR', 'AGENT'];
export const SLA_UNITS = ['minutes', 'hours'] as const;
export type SlaUnit = (typeof SLA_UNITS)[number];
const UNIT_SECONDS: Record<SlaUnit, number> = { minutes: 60, hours: 3600 };
/** StepIn allows at most 50 steps (tenants/tickets/schemas.py). */
export const MAX_STEPS = 50;

type T = (id: MessageId, values?: Record<string, string | number>) => string;

/**
 * The category form's rules, mirroring TicketCategoryIn: a name, at least one step, each
 * step named and owned by a team or a role, its SLA a positive number of minutes or hours.
 * The SLA's upper bound (365 days) is the server's to say, on the step's SLA input.
 */
export function categorySchema(t: T) {
  const step = z
    .object({
      name: z.string().trim().min(1, t('validation.required')).max(120, t('validation.tooLong', { max: 120 })),
      teamId: z.string(),
      role: z.string(),
      slaAmount: z
        .string()
        .trim()
        .regex(/^\d+(\.\d+)?$/, t('admin.ticketCategories.slaRule'))
        .transform(Number)
        .pipe(z.number().positive(t('admin.ticketCategories.slaRule'))),
      slaUnit: z.enum(SLA_UNITS),
    })
    .superRefine((draft, ctx) => {
      if (!draft.teamId && !draft.role) ctx.addIssue({ code: 'custom', path: ['teamId'], message: t('admin.ticketCategories.ownerNeeded') });
    });
  const field = z.object(fieldDraftShape(t)).superRefine((draft, ctx) =>
    checkOptions(t, draft, (message) => ctx.addIssue({ code: 'custom', path: ['options'], message })),
  );
  return z.object({
    name: z.string().trim().min(1, t('validation.required')).max(120, t('validation.tooLong', { max: 120 })),
    fields: z.array(field).max(100, t('validation.atMost', { max: 100 })),
    steps: z.array(step).min(1, t('admin.ticketCategories.stepsNeeded')).max(MAX_STEPS, t('validation.atMost', { max: MAX_STEPS })),
  });
}

export type CategoryDraft = z.input<ReturnType<typeof categorySchema>>;
export type CategoryValues = z.output<ReturnType<typeof categorySchema>>;
export type StepDraft = CategoryDraft['steps'][number];

/**
 * The form path of a server error on a step, for useServerForm's `mapServerField`. The
 * server names a step's problems by its index and the input's names: `steps.2.sla_seconds`
 * (its SLA, which the form splits into an amount and a unit) and `steps.2` (no owner). Both
 * land on the step's own input; any other name is left as the server sent it (null).
 */
export function stepFormField(serverField: string): string | null {
  const match = /^steps\.(\d+)(\.(sla_seconds|slaSeconds))?$/.exec(serverField);
  if (!match) return null;
  return match[2] ? `steps.${match[1]}.slaAmount` : `steps.${match[1]}.teamId`;
}

export interface StoredStep {
  name: string;
  role?: string | null;
  slaSeconds: number;
  team?: { id: string } | null;
}

export interface StoredCategory {
  id: string;
  name: string;
  fields: readonly FieldDefinition[];
  steps: readonly StoredStep[];
}

export function newStep(): StepDraft {
  return { name: '', teamId: '', role: '', slaAmount: '', slaUnit: 'hours' };
}

export function toCategoryDraft(category: StoredCategory | null): CategoryDraft {
  if (!category) return { name: '', fields: [], steps: [newStep()] };
  return {
    name: category.name,
    fields: category.fields.map(toFieldDraft),
    steps: category.steps.map((step) => {
      const inHours = step.slaSeconds % 3600 === 0;
      return {
        name: step.name,
        teamId: step.team?.id ?? '',
        role: step.role ? step.role.toUpperCase() : '',
        slaAmount: String(inHours ? step.slaSeconds / 3600 : step.slaSeconds / 60),
        slaUnit: inHours ? 'hours' : 'minutes',
      };
    }),
  };
}

/** The TicketCategoryInput for the form's values: steps in the order shown, SLAs in seconds. */
export function toCategoryInput(values: CategoryValues) {
  return {
    name: values.name,
    fields: values.fields.map((field, position) => ({ ...toFieldInput(field), position })),
    steps: values.steps.map((step) => ({
      name: step.name,
      slaSeconds: Math.round(step.slaAmount * UNIT_SECONDS[step.slaUnit]),
      teamId: step.teamId || null,
      role: (step.role || null) as Role | null,
    })),
  };
}
