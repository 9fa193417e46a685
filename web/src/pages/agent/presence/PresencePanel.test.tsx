import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { renderPage } from '../../../test/render';
import { choosableStates, PresencePanel } from './PresencePanel';
import type { Presence } from './usePresence';

function presence(over: Partial<Presence> = {}): Presence {
  return {
    status: { agentId: 'a1', state: 'offline', secondsInState: 65, callId: null, queueIds: ['q1'] },
    readAt: Date.now(),
    queues: [
      { id: 'q1', name: 'Support' },
      { id: 'q2', name: 'Sales' },
    ],
    breakReasons: ['lunch'],
    loaded: true,
    noProfile: false,
    action: { busy: false, problem: null, clear: vi.fn(), run: vi.fn() },
    setState: vi.fn(),
    setQueue: vi.fn(),
    refresh: vi.fn(),
    ...over,
  };
}

describe('PresencePanel', () => {
  it('offers Available, the break reasons and Offline', () => {
    expect(choosableStates(['lunch', 'training'])).toEqual(['available', 'break:lunch', 'break:training', 'offline']);
  });

  it("shows routing's state and time in it, and asks routing to change it", async () => {
    const p = presence();
    renderPage(<PresencePanel presence={p} />);
    expect(screen.getByTestId('agent-state')).toHaveTextContent('Offline');
    expect(screen.getByLabelText('Time in this state')).toHaveTextContent('1:05');
    await userEvent.selectOptions(screen.getByLabelText('Set my state'), 'break:lunch');
    expect(p.setState).toHaveBeenCalledWith('break:lunch');
    // The selector still shows what routing said until routing answers.
    expect(screen.getByLabelText<HTMLSelectElement>('Set my state').value).toBe('offline');
  });

  it('shows a refusal and keeps the state routing has', () => {
    const p = presence({
      status: { agentId: 'a1', state: 'available', secondsInState: 1, callId: null, queueIds: [] },
      action: { busy: false, problem: { kind: 'badInput', text: 'sign in to a queue first', retry: null }, clear: vi.fn(), run: vi.fn() },
    });
    renderPage(<PresencePanel presence={p} />);
    expect(screen.getByRole('alert')).toHaveTextContent('sign in to a queue first');
    expect(screen.getByLabelText<HTMLSelectElement>('Set my state').value).toBe('available');
  });

  it('explains not_ready:missed and how to recover', () => {
    renderPage(<PresencePanel presence={presence({ status: { agentId: 'a1', state: 'not_ready:missed', secondsInState: 3, callId: null, queueIds: ['q1'] } })} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Choose Available');
    expect(screen.getByLabelText<HTMLSelectElement>('Set my state').value).toBe('not_ready:missed');
  });

  it('signs in to and out of queues through routing', async () => {
    const p = presence();
    renderPage(<PresencePanel presence={p} />);
    expect(screen.getByRole('checkbox', { name: 'Support' })).toBeChecked();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Sales' }));
    expect(p.setQueue).toHaveBeenCalledWith('q2', true);
    await userEvent.click(screen.getByRole('checkbox', { name: 'Support' }));
    expect(p.setQueue).toHaveBeenCalledWith('q1', false);
  });
});
