import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { renderPage } from '../../../test/render';
import type { ListenPhase } from './listenController';
import { ListenPanel } from './ListenPanel';

const target = { callId: 'call-9', agent: 'Bo Agent', number: '+33612345678' };

function show(phase: ListenPhase, error: string | null = null) {
  const onStop = vi.fn();
  renderPage(<ListenPanel state={{ phase, target, error }} onStop={onStop} />);
  return onStop;
}

describe('ListenPanel', () => {
  it('shows nothing while idle', () => {
    renderPage(<ListenPanel state={{ phase: 'idle', target: null, error: null }} onStop={vi.fn()} />);
    expect(screen.queryByRole('region', { name: 'Listen-in' })).toBeNull();
  });

  it('says it is joining, with a way to stop', () => {
    show('connecting');
    expect(screen.getByRole('region', { name: 'Listen-in' })).toHaveTextContent('Joining Bo Agent · +33612345678…');
    expect(screen.getByRole('button', { name: 'Stop listening' })).toBeEnabled();
  });

  it('says who is heard while listening, and Stop stops', async () => {
    const onStop = show('listening');
    expect(screen.getByRole('region', { name: 'Listen-in' })).toHaveTextContent('Listening to Bo Agent · +33612345678');
    expect(screen.getByText('You hear the caller and the agent; they do not hear you.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Stop listening' }));
    expect(onStop).toHaveBeenCalledOnce();
  });

  it('shows Stop busy while stopping', () => {
    show('stopping');
    expect(screen.getByRole('button', { name: 'Stop listening' })).toBeDisabled();
  });

  it('announces the end in a live region', () => {
    show('ended');
    expect(screen.getByText('Stopped listening to Bo Agent · +33612345678.')).toHaveAttribute('role', 'status');
  });

  it('shows why a listen failed', () => {
    show('failed', 'your softphone is not registered');
    expect(screen.getByRole('alert')).toHaveTextContent('Could not listen to Bo Agent · +33612345678: your softphone is not registered');
  });
});
