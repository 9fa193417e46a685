import { useMutation, useQuery } from 'urql';

import { useServerAction } from '../../../forms/useServerAction';
import type { TicketTransition } from '../../../gql/graphql';
import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { FormAlert } from '../../../ui/FormAlert';
import { AgentTransitionTicketMutation, MyTicketsQuery } from '../operations';

/** The open tickets assigned to me, each with the actions its workflow allows. */
export function MyTickets() {
  const t = useT();
  const [tickets, refetch] = useQuery({ query: MyTicketsQuery, requestPolicy: 'cache-and-network' });
  const [, transition] = useMutation(AgentTransitionTicketMutation);
  const action = useServerAction();
  const rows = tickets.data?.tickets.nodes ?? [];
  const act = (id: string, kind: TicketTransition) =>
    void action.run(
      () => transition({ input: { id, action: kind } }),
      () => refetch({ requestPolicy: 'network-only' }),
    );
  return (
    <section className="agent-panel" aria-labelledby="my-tickets-heading">
      <h2 id="my-tickets-heading">{t('agent.myTickets.title')}</h2>
      {rows.length === 0 ? <p>{tickets.fetching ? t('app.loading') : t('agent.myTickets.none')}</p> : null}
      <ul className="agent-ticket-list">
        {rows.map((ticket) => {
          const steps = [...(ticket.category?.steps ?? [])].sort((a, b) => a.position - b.position);
          const last = steps.at(-1);
          const canAdvance = ticket.currentStep !== null && ticket.currentStep !== undefined && last !== undefined && ticket.currentStep.id !== last.id;
          return (
            <li key={ticket.id}>
              <strong>{ticket.number}</strong> {ticket.subject}
              {ticket.customer ? ` · ${ticket.customer.name}` : ''}
              {ticket.currentStep ? ` · ${t('agent.myTickets.step', { step: ticket.currentStep.name })}` : ''}{' '}
              {canAdvance ? (
                <Button aria-label={t('agent.myTickets.advanceNamed', { number: ticket.number })} onClick={() => act(ticket.id, 'ADVANCE')}>
                  {t('agent.myTickets.advance')}
                </Button>
              ) : null}{' '}
              <Button aria-label={t('agent.myTickets.closeNamed', { number: ticket.number })} onClick={() => act(ticket.id, 'CLOSE')}>
                {t('agent.myTickets.close')}
              </Button>
            </li>
          );
        })}
      </ul>
      <FormAlert problem={action.problem} />
    </section>
  );
}
