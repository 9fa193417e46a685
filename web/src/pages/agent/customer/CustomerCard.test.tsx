import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { fakeClient, operationName, renderPage } from '../../../test/render';
import { CustomerCard, type ScreenPop } from './CustomerCard';

const client = () =>
  fakeClient({
    query: (request) => {
      const name = operationName(request);
      if (name === 'AgentCrmChoices') {
        return {
          data: {
            customerCategories: [{ id: 'c1', name: 'VIP' }],
            customFields: [{ id: 'f1', key: 'plan', label: 'Plan', type: 'TEXT', required: false, options: [], position: 0 }],
          },
        };
      }
      if (name === 'AgentCustomerTimeline') {
        return { data: { customerTimeline: [{ kind: 'call', at: '2026-01-02T10:00:00Z', summary: 'answered, 2 min', callId: 'c-9', ticket: null }] } };
      }
      return undefined;
    },
  }).client;

const known: ScreenPop = {
  number: '+15551230001',
  customer: {
    id: 'cu1',
    name: 'Grace Caller',
    company: 'Navy',
    emails: [],
    notes: '',
    customFields: { plan: 'Gold' },
    phones: [{ e164: '+15551230001', raw: '+1 555 123 0001' }],
    category: { id: 'c1', name: 'VIP', routing: 'PRIORITY' },
    owner: { id: 'u1', displayName: 'Olive Owner' },
  },
  openTickets: [{ id: 't1', number: 'T-000007', subject: 'Broken phone', status: 'OPEN', currentStep: { id: 's1', name: 'Triage' } }],
};

describe('CustomerCard', () => {
  it('shows who is calling: name, company, category, owner, custom fields, tickets, history', async () => {
    renderPage(<CustomerCard pop={known} queueName="Support" />, { client: client() });
    expect(screen.getByTestId('customer-name')).toHaveTextContent('Grace Caller');
    expect(screen.getByText(/Navy/)).toBeInTheDocument();
    expect(screen.getByText('VIP')).toHaveClass('badge-priority');
    expect(screen.getByText('Owner: Olive Owner')).toBeInTheDocument();
    expect(screen.getByText('Plan').nextSibling).toHaveTextContent('Gold');
    expect(screen.getByText(/T-000007 Broken phone \(Triage\)/)).toBeInTheDocument();
    expect(await screen.findByText(/answered, 2 min/)).toBeInTheDocument();
    expect(screen.getByText(/Queue: Support/)).toBeInTheDocument();
  });

  it('offers to create an unknown caller with the number filled in', async () => {
    renderPage(<CustomerCard pop={{ number: '+15550009999', customer: null, openTickets: [] }} queueName={null} />, { client: client() });
    expect(screen.getByTestId('customer-name')).toHaveTextContent('Unknown caller');
    await userEvent.click(screen.getByRole('button', { name: 'Create customer' }));
    expect(screen.getByLabelText('Phone numbers')).toHaveValue('+15550009999');
    expect(screen.getByLabelText(/^Name/)).toHaveValue('');
  });
});
