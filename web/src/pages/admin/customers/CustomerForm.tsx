import { useMemo } from 'react';
import { get, type FieldErrors } from 'react-hook-form';
import { useMutation } from 'urql';
import { z } from 'zod';

import { useServerForm } from '../../../forms/useServerForm';
import type { AdminCustomersQuery, CustomerChoicesQuery } from '../../../gql/graphql';
import { useT } from '../../../i18n/useT';
import { FormActions } from '../../../ui/FormActions';
import { FormAlert } from '../../../ui/FormAlert';
import { FormField } from '../../../ui/FormField';
import { SelectField } from '../../../ui/SelectField';
import { TextField } from '../../../ui/TextField';
import { CreateCustomerMutation, UpdateCustomerMutation } from './operations';

export type CustomerRow = AdminCustomersQuery['customers']['nodes'][number];
export type Choices = CustomerChoicesQuery;
export type CustomFieldDef = Choices['customFields'][number];

/** Several values typed in one box: one per line (or separated by `,` or `;`). */
export function splitList(text: string): string[] {
  return text
    .split(/[\n,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

type CustomValue = string | boolean | string[];

/** A stored custom-field value as its input holds it. */
function inputValue(field: CustomFieldDef, value: unknown): CustomValue {
  switch (field.type) {
    case 'BOOLEAN':
      return value === true;
    case 'MULTI_SELECT':
      return Array.isArray(value) ? value.map(String) : [];
    default:
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return value === null || value === undefined ? '' : JSON.stringify(value);
  }
}

/** An input's value as the API takes it (null: no value). */
function apiValue(field: CustomFieldDef, value: CustomValue | undefined): unknown {
  if (field.type === 'BOOLEAN') return value === true;
  if (field.type === 'MULTI_SELECT') return Array.isArray(value) ? value : value ? [value] : [];
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) return null;
  if (field.type === 'NUMBER') {
    const number = Number(text);
    return Number.isFinite(number) ? number : text;
  }
  return text;
}

interface CustomerFormProps {
  /** The customer to edit, or null to create one. */
  customer: CustomerRow | null;
  choices: Choices | undefined;
  onCancel: () => void;
  onSaved: (name: string, created: boolean) => void;
}

/** Create or edit a customer: every field the API takes, the tenant's custom fields by type. */
export function CustomerForm({ customer, choices, onCancel, onSaved }: CustomerFormProps) {
  const t = useT();
  const [, createCustomer] = useMutation(CreateCustomerMutation);
  const [, updateCustomer] = useMutation(UpdateCustomerMutation);
  const fields = useMemo(() => [...(choices?.customFields ?? [])].sort((a, b) => a.position - b.position), [choices]);

  // Mirrors tenants/crm/schemas.py CustomerIn: a name of 1 to 200 characters; the server
  // checks the numbers, emails and custom fields and names the field it refuses.
  const schema = useMemo(
    () =>
      z.object({
        name: z.string().trim().min(1, t('validation.required')).max(200, t('validation.tooLong', { max: 200 })),
        company: z.string(),
        phones: z.string(),
        emails: z.string(),
        category: z.string(),
        tags: z.string(),
        ownerId: z.string(),
        notes: z.string(),
        externalId: z.string(),
        customFields: z.record(z.string(), z.union([z.string(), z.boolean(), z.array(z.string())])),
      }),
    [t],
  );
  const defaultValues = {
    name: customer?.name ?? '',
    company: customer?.company ?? '',
    phones: customer?.phones.map((phone) => phone.raw).join('\n') ?? '',
    emails: customer?.emails.join('\n') ?? '',
    category: customer?.category?.name ?? '',
    tags: customer?.tags.join(', ') ?? '',
    ownerId: customer?.owner?.id ?? '',
    notes: customer?.notes ?? '',
    externalId: customer?.externalId ?? '',
    customFields: Object.fromEntries(
      fields.map((field) => [field.key, inputValue(field, (customer?.customFields as Record<string, unknown> | undefined)?.[field.key])]),
    ),
  };
  const { form, problem, busy, handleSubmit } = useServerForm({ schema, defaultValues });

  const onSubmit = handleSubmit<unknown>(
    (values) => {
      const custom = Object.fromEntries(fields.map((field) => [field.key, apiValue(field, values.customFields[field.key])]));
      const common = {
        name: values.name,
        company: values.company.trim() || null,
        phones: splitList(values.phones),
        emails: splitList(values.emails),
        tags: splitList(values.tags),
        notes: values.notes,
        externalId: values.externalId.trim() || null,
      };
      if (customer) {
        return updateCustomer({
          input: {
            id: customer.id,
            ...common,
            category: values.category || null,
            clearCategory: !values.category,
            ownerId: values.ownerId || null,
            clearOwner: !values.ownerId,
            customFields: custom,
          },
        });
      }
      return createCustomer({
        input: {
          ...common,
          category: values.category || null,
          ownerId: values.ownerId || null,
          customFields: Object.fromEntries(Object.entries(custom).filter(([, value]) => value !== null)),
        },
      });
    },
    (_data, values) => onSaved(values.name, customer === null),
  );

  const categoryOptions = [
    { value: '', label: t('admin.customers.noCategory') },
    ...(choices?.customerCategories ?? []).map((category) => ({ value: category.name, label: category.name })),
  ];
  const ownerOptions = [
    { value: '', label: t('admin.customers.noOwner') },
    ...(choices?.users.nodes ?? []).map((user) => ({ value: user.id, label: user.displayName || user.email })),
  ];
  const errorOf = (name: string) => get<FieldErrors, { message?: string } | undefined>(form.formState.errors, name)?.message;

  return (
    <form onSubmit={onSubmit} noValidate className="form customer-form">
      <TextField form={form} name="name" label={t('field.name')} required autoComplete="off" autoFocus />
      <FormField label={t('admin.customers.phones')} hint={t('admin.customers.listHint')} error={errorOf('phones')}>
        {(control) => <textarea className="input" rows={2} {...control} {...form.register('phones')} />}
      </FormField>
      <FormField label={t('admin.customers.emails')} hint={t('admin.customers.listHint')} error={errorOf('emails')}>
        {(control) => <textarea className="input" rows={2} {...control} {...form.register('emails')} />}
      </FormField>
      <TextField form={form} name="company" label={t('admin.customers.company')} autoComplete="off" />
      <SelectField form={form} name="category" label={t('admin.customers.category')} options={categoryOptions} />
      <TextField form={form} name="tags" label={t('admin.customers.tags')} hint={t('admin.customers.tagsHint')} autoComplete="off" />
      <SelectField form={form} name="ownerId" label={t('admin.customers.owner')} options={ownerOptions} />
      <TextField form={form} name="externalId" label={t('admin.customers.externalId')} autoComplete="off" />
      <FormField label={t('admin.customers.notes')} error={errorOf('notes')}>
        {(control) => <textarea className="input" rows={3} {...control} {...form.register('notes')} />}
      </FormField>
      {fields.map((field) => {
        const name = `customFields.${field.key}` as const;
        const error = errorOf(name);
        if (field.type === 'SELECT') {
          return (
            <SelectField
              key={field.id}
              form={form}
              name={name}
              label={field.label}
              required={field.required}
              options={[{ value: '', label: t('admin.customers.noValue') }, ...field.options.map((option) => ({ value: option, label: option }))]}
            />
          );
        }
        if (field.type === 'MULTI_SELECT') {
          return (
            <fieldset key={field.id} className={error ? 'field field-invalid' : 'field'} aria-describedby={error ? `${field.id}-error` : undefined}>
              <legend className="field-label">{field.label}</legend>
              {field.options.map((option) => (
                <label key={option} className="checkbox-label">
                  <input type="checkbox" value={option} {...form.register(name)} /> {option}
                </label>
              ))}
              {error ? (
                <p id={`${field.id}-error`} className="field-error">
                  {error}
                </p>
              ) : null}
            </fieldset>
          );
        }
        if (field.type === 'BOOLEAN') {
          return (
            <FormField key={field.id} label={field.label} error={error}>
              {(control) => <input type="checkbox" className="check-input" {...control} {...form.register(name)} />}
            </FormField>
          );
        }
        const type = { NUMBER: 'number', DATE: 'date', PHONE: 'tel', EMAIL: 'email', TEXT: 'text' }[field.type];
        return <TextField key={field.id} form={form} name={name} label={field.label} required={field.required} type={type} autoComplete="off" />;
      })}
      <FormAlert problem={problem} />
      <FormActions busy={busy} onCancel={onCancel} />
    </form>
  );
}
