import { useState } from 'react';
import { FormattedDate } from 'react-intl';
import { useMutation, useQuery } from 'urql';

import { useServerAction } from '../../../forms/useServerAction';
import type { ScreenPopFieldsFragment } from '../../../gql/graphql';
import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { FormAlert } from '../../../ui/FormAlert';
import { AgentAddNoteMutation, AgentCrmChoicesQuery, CustomerTimelineQuery } from '../operations';
import { CustomerEditForm, type CardCustomer } from './CustomerEditForm';

export type ScreenPop = ScreenPopFieldsFragment;

function shown(value: unknown): string {
  if (value === null || value === undefined || value === '') return '–';
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function CustomFieldList({ customer }: { customer: CardCustomer }) {
  const [choices] = useQuery({ query: AgentCrmChoicesQuery });
  const values = (customer.customFields ?? {}) as Record<string, unknown>;
  const defs = [...(choices.data?.customFields ?? [])].sort((a, b) => a.position - b.position).filter((d) => d.key in values);
  if (defs.length === 0) return null;
  return (
    <dl className="agent-custom-fields">
      {defs.map((d) => (
        <div key={d.id}>
          <dt>{d.label}</dt>
          <dd>{shown(values[d.key])}</dd>
        </div>
      ))}
    </dl>
  );
}

function Timeline({ customerId }: { customerId: string }) {
  const t = useT();
  const [timeline] = useQuery({ query: CustomerTimelineQuery, variables: { customerId }, requestPolicy: 'network-only' });
  const items = timeline.data?.customerTimeline ?? [];
  return (
    <section aria-labelledby="timeline-heading">
      <h3 id="timeline-heading">{t('agent.customer.timeline')}</h3>
      {items.length === 0 ? <p>{timeline.fetching ? t('app.loading') : t('agent.customer.noHistory')}</p> : null}
      <ol className="agent-timeline">
        {items.map((item, i) => (
          <li key={`${item.at}-${i}`}>
            <span className={`agent-kind agent-kind-${item.kind}`}>{t(`agent.customer.kind.${item.kind === 'call' || item.kind === 'ticket' ? item.kind : 'note'}`)}</span>{' '}
            <FormattedDate value={item.at} dateStyle="medium" timeStyle="short" /> {item.summary}
          </li>
        ))}
      </ol>
    </section>
  );
}

function NoteForm({ customerId, onAdded }: { customerId: string; onAdded: () => void }) {
  const t = useT();
  const [body, setBody] = useState('');
  const [, addNote] = useMutation(AgentAddNoteMutation);
  const action = useServerAction();
  return (
    <form
      className="agent-note-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!body.trim()) return;
        void action.run(
          () => addNote({ customerId, body: body.trim() }).then((r) => r),
          () => {
            setBody('');
            onAdded();
          },
        );
      }}
    >
      <label className="field-label" htmlFor="agent-note">
        {t('agent.customer.note')}
      </label>
      <textarea id="agent-note" className="input" rows={2} value={body} onChange={(e) => setBody(e.target.value)} />
      <Button type="submit" busy={action.busy}>
        {t('agent.customer.addNote')}
      </Button>
      <FormAlert problem={action.problem} />
    </form>
  );
}

/** The screen pop: who is calling (or a form to create them), their history and open tickets. */
export function CustomerCard({ pop, queueName }: { pop: ScreenPop; queueName: string | null }) {
  const t = useT();
  const [customer, setCustomer] = useState<CardCustomer | null>(pop.customer ?? null);
  const [editing, setEditing] = useState(false);
  const [version, setVersion] = useState(0);
  const category = customer?.category;
  return (
    <section className="agent-panel agent-card" aria-labelledby="card-heading">
      <h2 id="card-heading">{t('agent.customer.title')}</h2>
      <p>
        {t('agent.customer.from', { number: pop.number })}
        {queueName ? ` · ${t('agent.phone.viaQueue', { queue: queueName })}` : ''}
      </p>
      {customer && !editing ? (
        <>
          <p className="agent-customer-name">
            <strong data-testid="customer-name">{customer.name}</strong>
            {customer.company ? <span> — {customer.company}</span> : null}{' '}
            {category ? <span className={`badge badge-category badge-${category.routing.toLowerCase()}`}>{category.name}</span> : null}
          </p>
          <p>{t('agent.customer.owner', { owner: customer.owner?.displayName ?? t('agent.customer.noOwner') })}</p>
          <CustomFieldList customer={customer} />
          <Button onClick={() => setEditing(true)}>{t('agent.customer.edit')}</Button>
        </>
      ) : null}
      {!customer && !editing ? (
        <>
          <p data-testid="customer-name">{t('agent.customer.unknown')}</p>
          <Button variant="primary" onClick={() => setEditing(true)}>
            {t('agent.customer.create')}
          </Button>
        </>
      ) : null}
      {editing ? (
        <CustomerEditForm
          customer={customer}
          number={pop.number}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => {
            setCustomer(saved);
            setEditing(false);
            setVersion((v) => v + 1);
          }}
        />
      ) : null}
      {pop.openTickets.length > 0 ? (
        <section aria-labelledby="open-tickets-heading">
          <h3 id="open-tickets-heading">{t('agent.customer.openTickets')}</h3>
          <ul>
            {pop.openTickets.map((ticket) => (
              <li key={ticket.id}>
                {ticket.number} {ticket.subject}
                {ticket.currentStep ? ` (${ticket.currentStep.name})` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {customer ? (
        <>
          <NoteForm customerId={customer.id} onAdded={() => setVersion((v) => v + 1)} />
          <Timeline key={version} customerId={customer.id} />
        </>
      ) : null}
    </section>
  );
}
