import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';

import type { AgentTicketCategoriesQuery } from '../../../gql/graphql';
import { useServerAction } from '../../../forms/useServerAction';
import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { FormAlert } from '../../../ui/FormAlert';
import { StatusMessage } from '../../../ui/StatusMessage';
import { AgentCreateTicketMutation, AgentTicketCategoriesQuery as CategoriesQuery } from '../operations';

type Category = AgentTicketCategoriesQuery['ticketCategories'][number];
type FieldDef = Category['fields'][number];

/** A field's value as the API takes it (the server checks it against the schema). */
export function ticketFieldValue(field: FieldDef, raw: string | boolean | undefined): unknown {
  if (field.type === 'BOOLEAN') return raw === true;
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text) return null;
  if (field.type === 'NUMBER' && Number.isFinite(Number(text))) return Number(text);
  if (field.type === 'MULTI_SELECT') return text.split(',').map((s) => s.trim()).filter(Boolean);
  return text;
}

function FieldInput({ field, value, onChange, error }: { field: FieldDef; value: string | boolean | undefined; onChange: (v: string | boolean) => void; error: string | null }) {
  const id = `ticket-field-${field.key}`;
  const described = error ? `${id}-error` : undefined;
  const label = (
    <label className="field-label" htmlFor={id}>
      {field.label}
      {field.required ? ' *' : ''}
    </label>
  );
  let control;
  if (field.type === 'BOOLEAN') {
    control = <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} aria-describedby={described} />;
  } else if (field.type === 'SELECT') {
    control = (
      <select id={id} className="input" value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} aria-describedby={described} aria-invalid={error ? true : undefined}>
        <option value="">–</option>
        {field.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else {
    const type = { NUMBER: 'number', DATE: 'date', PHONE: 'tel', EMAIL: 'email' }[field.type as string] ?? 'text';
    control = <input id={id} className="input" type={type} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} aria-describedby={described} aria-invalid={error ? true : undefined} />;
  }
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      {label}
      {control}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

interface TicketFromCallProps {
  callId: string | null;
  number: string | null;
  customerId: string | null;
  onCreated?: () => void;
}

/** A ticket from the call: customer and call filled in, the category's fields, its workflow. */
export function TicketFromCall({ callId, number, customerId, onCreated }: TicketFromCallProps) {
  const t = useT();
  const [categories] = useQuery({ query: CategoriesQuery });
  const [, createTicket] = useMutation(AgentCreateTicketMutation);
  const action = useServerAction();
  const [categoryId, setCategoryId] = useState('');
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [missing, setMissing] = useState<Set<string>>(new Set());
  const [created, setCreated] = useState<string | null>(null);
  const list = categories.data?.ticketCategories;
  const category = useMemo(() => list?.find((c) => c.id === categoryId) ?? list?.[0] ?? null, [list, categoryId]);

  const submit = () => {
    if (!category) return;
    const empty = new Set(category.fields.filter((f) => f.required && ticketFieldValue(f, values[f.key]) === null).map((f) => f.key));
    if (!subject.trim()) empty.add('subject');
    setMissing(empty);
    if (empty.size > 0) return;
    const fields: Record<string, unknown> = Object.fromEntries(
      category.fields.map((f): [string, unknown] => [f.key, ticketFieldValue(f, values[f.key])]).filter(([, v]) => v !== null),
    );
    void action.run(
      () =>
        createTicket({
          input: { categoryId: category.id, subject: subject.trim(), description: description.trim() || null, customerId, callerNumber: customerId ? null : number, callId, fields },
        }),
      (data) => {
        setCreated(t('agent.ticket.created', { number: data.createTicket.number }));
        setSubject('');
        setDescription('');
        setValues({});
        onCreated?.();
      },
    );
  };

  return (
    <section className="agent-panel" aria-labelledby="ticket-heading">
      <h2 id="ticket-heading">{t('agent.ticket.title')}</h2>
      {list && list.length === 0 ? <p>{t('agent.ticket.noCategories')}</p> : null}
      {category ? (
        <form
          className="form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <p>{callId ? t('agent.ticket.fromCall', { number: number ?? '–' }) : t('agent.ticket.noCall')}</p>
          <div className="field">
            <label className="field-label" htmlFor="ticket-category">
              {t('agent.ticket.category')}
            </label>
            <select id="ticket-category" className="input" value={category.id} onChange={(e) => setCategoryId(e.target.value)}>
              {list?.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div className={missing.has('subject') ? 'field field-invalid' : 'field'}>
            <label className="field-label" htmlFor="ticket-subject">
              {t('agent.ticket.subject')} *
            </label>
            <input id="ticket-subject" className="input" value={subject} onChange={(e) => setSubject(e.target.value)} aria-invalid={missing.has('subject') || undefined} aria-describedby={missing.has('subject') ? 'ticket-subject-error' : undefined} />
            {missing.has('subject') ? (
              <p id="ticket-subject-error" className="field-error">
                {t('validation.required')}
              </p>
            ) : null}
          </div>
          <div className="field">
            <label className="field-label" htmlFor="ticket-description">
              {t('agent.ticket.description')}
            </label>
            <textarea id="ticket-description" className="input" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
          </div>
          {category.fields.map((field) => (
            <FieldInput
              key={`${category.id}-${field.key}`}
              field={field}
              value={values[field.key]}
              onChange={(v) => setValues((old) => ({ ...old, [field.key]: v }))}
              error={missing.has(field.key) ? t('validation.required') : null}
            />
          ))}
          {category.steps.length > 0 ? (
            <div>
              <h3>{t('agent.ticket.workflow')}</h3>
              <ol className="agent-workflow">
                {[...category.steps]
                  .sort((a, b) => a.position - b.position)
                  .map((step) => (
                    <li key={step.id}>{step.name}</li>
                  ))}
              </ol>
            </div>
          ) : null}
          <FormAlert problem={action.problem} />
          <Button type="submit" variant="primary" busy={action.busy}>
            {t('agent.ticket.create')}
          </Button>
        </form>
      ) : null}
      <StatusMessage message={created} />
    </section>
  );
}
