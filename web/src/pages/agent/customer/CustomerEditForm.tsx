import type { OperationResult } from '@urql/core';
import { useMemo } from 'react';
import { useMutation, useQuery } from 'urql';
import { z } from 'zod';

import { useServerForm } from '../../../forms/useServerForm';
import type { CustomerCardFieldsFragment } from '../../../gql/graphql';
import { useT } from '../../../i18n/useT';
import { FormActions } from '../../../ui/FormActions';
import { FormAlert } from '../../../ui/FormAlert';
import { SelectField } from '../../../ui/SelectField';
import { TextField } from '../../../ui/TextField';
import { AgentCreateCustomerMutation, AgentCrmChoicesQuery, AgentUpdateCustomerMutation } from '../operations';

export type CardCustomer = CustomerCardFieldsFragment;

function list(text: string): string[] {
  return text
    .split(/[\n,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

interface CustomerEditFormProps {
  /** The customer to edit, or null to create one for `number`. */
  customer: CardCustomer | null;
  number: string;
  onCancel: () => void;
  onSaved: (customer: CardCustomer) => void;
}

/**
 * Create the unknown caller (the number filled in) or edit the card's customer: the
 * fields an agent needs on a call and the tenant's custom fields. Owners are assigned by
 * supervisors (the API says so), so the form leaves them alone.
 */
export function CustomerEditForm({ customer, number, onCancel, onSaved }: CustomerEditFormProps) {
  const t = useT();
  const [choices] = useQuery({ query: AgentCrmChoicesQuery });
  const [, create] = useMutation(AgentCreateCustomerMutation);
  const [, update] = useMutation(AgentUpdateCustomerMutation);
  const fields = useMemo(() => [...(choices.data?.customFields ?? [])].sort((a, b) => a.position - b.position), [choices.data]);
  const schema = useMemo(
    () =>
      z.object({
        name: z.string().trim().min(1, t('validation.required')).max(200, t('validation.tooLong', { max: 200 })),
        company: z.string(),
        phones: z.string(),
        emails: z.string(),
        category: z.string(),
        custom: z.record(z.string(), z.union([z.string(), z.boolean()])),
      }),
    [t],
  );
  const stored = (customer?.customFields ?? {}) as Record<string, unknown>;
  const { form, problem, busy, handleSubmit } = useServerForm({
    schema,
    defaultValues: {
      name: customer?.name ?? '',
      company: customer?.company ?? '',
      phones: customer ? customer.phones.map((p) => p.raw).join('\n') : number,
      emails: customer?.emails.join('\n') ?? '',
      category: customer?.category?.name ?? '',
      custom: Object.fromEntries(fields.map((f) => [f.key, f.type === 'BOOLEAN' ? stored[f.key] === true : textOf(stored[f.key])])),
    },
    mapServerField: (field) => (field.startsWith('customFields.') ? field.replace('customFields.', 'custom.') : null),
  });

  const customValues = (values: z.output<typeof schema>): Record<string, unknown> =>
    Object.fromEntries(
      fields.map((f): [string, unknown] => {
        const value = values.custom[f.key];
        if (f.type === 'BOOLEAN') return [f.key, value === true];
        const text = typeof value === 'string' ? value.trim() : '';
        if (!text) return [f.key, null];
        if (f.type === 'NUMBER' && Number.isFinite(Number(text))) return [f.key, Number(text)];
        if (f.type === 'MULTI_SELECT') return [f.key, list(text)];
        return [f.key, text];
      }),
    );

  const onSubmit = handleSubmit(
    (values): Promise<OperationResult<{ saved: CardCustomer }>> => {
      const shared = {
        name: values.name,
        company: values.company.trim() || null,
        phones: list(values.phones),
        emails: list(values.emails),
        customFields: customValues(values),
      };
      if (customer) {
        return update({
          input: { id: customer.id, ...shared, ...(values.category ? { category: values.category } : { clearCategory: true }) },
        }).then((r) => ({ ...r, data: r.data ? { saved: r.data.updateCustomer } : undefined }));
      }
      return create({ input: { ...shared, category: values.category || null } }).then((r) => ({
        ...r,
        data: r.data ? { saved: r.data.createCustomer } : undefined,
      }));
    },
    (data) => onSaved(data.saved),
  );

  const categories = [{ value: '', label: t('agent.customer.noCategory') }, ...(choices.data?.customerCategories ?? []).map((c) => ({ value: c.name, label: c.name }))];
  return (
    <form className="form agent-customer-form" noValidate onSubmit={(event) => void onSubmit(event)} aria-label={customer ? t('agent.customer.edit') : t('agent.customer.create')}>
      <TextField form={form} name="name" label={t('agent.customer.name')} required autoComplete="off" />
      <TextField form={form} name="company" label={t('agent.customer.company')} autoComplete="off" />
      <TextField form={form} name="phones" label={t('agent.customer.phones')} hint={t('agent.customer.listHint')} autoComplete="off" />
      <TextField form={form} name="emails" label={t('agent.customer.emails')} hint={t('agent.customer.listHint')} autoComplete="off" />
      <SelectField form={form} name="category" label={t('agent.customer.category')} options={categories} />
      {fields.map((f) => {
        const name = `custom.${f.key}` as const;
        if (f.type === 'SELECT') {
          return (
            <SelectField
              key={f.id}
              form={form}
              name={name}
              label={f.label}
              required={f.required}
              options={[{ value: '', label: t('agent.customer.noValue') }, ...f.options.map((o) => ({ value: o, label: o }))]}
            />
          );
        }
        if (f.type === 'BOOLEAN') {
          return (
            <label key={f.id} className="checkbox-label">
              <input type="checkbox" {...form.register(name)} /> {f.label}
            </label>
          );
        }
        const type = { NUMBER: 'number', DATE: 'date', PHONE: 'tel', EMAIL: 'email' }[f.type as string] ?? 'text';
        return <TextField key={f.id} form={form} name={name} label={f.label} required={f.required} type={type} autoComplete="off" />;
      })}
      <FormAlert problem={problem} />
      <FormActions busy={busy} onCancel={onCancel} submitLabel={customer ? t('action.save') : t('agent.customer.createButton')} />
    </form>
  );
}
