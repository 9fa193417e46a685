import { zodResolver } from '@hookform/resolvers/zod';
import type { OperationResult } from '@urql/core';
import { useCallback, useRef, useState, type BaseSyntheticEvent } from 'react';
import { useForm, type DefaultValues, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';

import { classifyError, resolveField, type ApiProblem } from '../api/errors';
import { useT } from '../i18n/useT';
import { describeProblem, type ProblemTexts, type ShownProblem } from './problem';

interface Options<S extends z.ZodType<FieldValues, FieldValues>> {
  schema: S;
  defaultValues: DefaultValues<z.input<S>>;
  /** Server field names (camelCase) the form spells differently, e.g. `{ tenantName: 'name' }`. */
  fieldAliases?: Partial<Record<string, Path<z.input<S>>>>;
  /** Sentences for problems this form words differently (logIn: "wrong tenant, email or password"). */
  problemTexts?: ProblemTexts;
  /**
   * For a form that sends its values in another shape than it holds them: the form path of
   * a server field, given the values that were sent (e.g. `hours.windows.3.start`, an index
   * into a list built from per-day fields, → `hours.days.thu.0.start`). Return null to
   * keep the server's name; the result is then resolved as any server field is.
   */
  mapServerField?: (serverField: string, values: z.output<S>) => string | null;
  /**
   * When fields are checked before the first submit: on a field's first blur, then on each
   * change (`onTouched`, the default), or only on submit (`onSubmit`; afterwards on each
   * change). A form with buttons among its fields (a list editor's Add, Move up) wants
   * `onSubmit`: an error appearing on blur shifts the button between mouse-down and
   * mouse-up, and the click is lost; and under `onTouched` react-hook-form checks the whole
   * list after each add or move, so an item just added says "Fill this in." at once.
   */
  mode?: 'onTouched' | 'onSubmit';
}

export interface ServerForm<S extends z.ZodType<FieldValues, FieldValues>> {
  form: UseFormReturn<z.input<S>, unknown, z.output<S>>;
  /** The form-level problem (CONFLICT, network, FORBIDDEN, …), or null. */
  problem: ShownProblem | null;
  /** True while the form's request (or its retry) runs. */
  busy: boolean;
  /**
   * The form's `onSubmit`: validates with the schema, then `send(values)`. On success
   * `onDone(data, values)`; on failure the problem lands on its field or the form, and the
   * values stay as typed.
   */
  handleSubmit: <TData>(
    send: (values: z.output<S>) => Promise<OperationResult<TData>>,
    onDone: (data: TData, values: z.output<S>) => void | Promise<void>,
  ) => (event?: BaseSyntheticEvent) => Promise<void>;
}

/**
 * react-hook-form + zod, and the API's errors mapped onto the form:
 * - BAD_USER_INPUT with `extensions.field` → that field's error (snake_case, camelCase and
 *   dotted paths are all recognised), focused;
 * - CONFLICT → a form-level message quoting what conflicts (and the field marked, if named);
 * - a network error, a 5xx or INTERNAL → a form-level message with "Retry", which sends the
 *   same values again;
 * - anything else → a form-level message.
 * The form is never reset on failure, so the draft is never lost.
 */
export function useServerForm<S extends z.ZodType<FieldValues, FieldValues>>({
  schema,
  defaultValues,
  fieldAliases,
  problemTexts,
  mapServerField,
  mode = 'onTouched',
}: Options<S>): ServerForm<S> {
  const t = useT();
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    resolver: zodResolver(schema as never) as never,
    defaultValues,
    mode,
  });
  const [problem, setProblem] = useState<ShownProblem | null>(null);
  const inFlight = useRef(false);

  const fieldNames = useCallback(() => fieldPaths(form.getValues()) as Path<z.input<S>>[], [form]);

  const land = useCallback(
    (found: ApiProblem, retry: () => void, values: z.output<S>) => {
      if (found.kind === 'badInput' || found.kind === 'conflict') {
        const mapped = found.field && mapServerField ? mapServerField(found.field, values) : null;
        const field = resolveField(mapped ?? found.field, fieldNames(), fieldAliases);
        if (field) {
          form.setError(field, {
            type: 'server',
            message: found.kind === 'conflict' ? t('problem.conflictField') : found.message,
          });
          if (found.kind === 'badInput') {
            form.setFocus(field);
            return;
          }
        }
      }
      setProblem({
        kind: found.kind,
        text: describeProblem(found, t, problemTexts),
        retry: found.kind === 'retryable' ? retry : null,
      });
    },
    [fieldAliases, fieldNames, form, mapServerField, problemTexts, t],
  );

  const handleSubmit = useCallback(
    <TData,>(
      send: (values: z.output<S>) => Promise<OperationResult<TData>>,
      onDone: (data: TData, values: z.output<S>) => void | Promise<void>,
    ) => {
      const attempt = async (values: z.output<S>): Promise<void> => {
        if (inFlight.current) return;
        inFlight.current = true;
        setProblem(null);
        let found: ApiProblem | null = null;
        try {
          const result = await send(values);
          if (result.error) found = classifyError(result.error);
          else if (result.data !== undefined) await onDone(result.data, values);
        } catch (error) {
          found = { kind: 'retryable', message: String(error) };
        } finally {
          inFlight.current = false;
        }
        // Retry submits what the form holds now: the draft, with any edit made since.
        if (found) land(found, () => void form.handleSubmit(attempt)(), values);
      };
      return form.handleSubmit(attempt);
    },
    [form, land],
  );

  return { form, problem, busy: form.formState.isSubmitting, handleSubmit };
}

/** Every path of `values` as react-hook-form names fields: `name`, `skills.0.level`. */
export function fieldPaths(values: unknown, prefix = ''): string[] {
  if (values === null || typeof values !== 'object' || values instanceof Date) return [];
  return Object.entries(values as Record<string, unknown>).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...fieldPaths(value, path)];
  });
}
