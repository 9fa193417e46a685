import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { GraphQLRequest } from '@urql/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import type { Session } from '../../auth/session';
import { imperativeClient } from '../../test/imperativeClient';
import { gqlError, operationName, ownerSession, renderPage, type FakeAnswer } from '../../test/render';
import MyRecordingsPage from '../agent/MyRecordingsPage';
import RecordingsPage from './RecordingsPage';

const shanghai: Session = { ...ownerSession, tenant: { ...ownerSession.tenant, timeZone: 'Asia/Shanghai' } };
const agentSession: Session = { ...ownerSession, user: { ...ownerSession.user, role: 'agent' } };

const recording = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  callId: `call-${id}`,
  startedAt: '2026-11-20T01:00:00+00:00',
  createdAt: '2026-11-20T01:00:05+00:00',
  direction: 'INBOUND',
  queueId: 'UTox',
  queueName: 'Sales',
  agentId: 'VXNlcjo5',
  agentName: 'Ana Agent',
  customerId: 'Q3VzdDox',
  customerName: 'Ada Lovelace',
  callerNumber: '+15550001111',
  durationSeconds: 75,
  channels: 2,
  dispositionCode: 'sale',
  dispositionLabel: 'Sale',
  ...extra,
});

function client(rights: { play: boolean; download: boolean }, playback: FakeAnswer = { error: gqlError('FORBIDDEN', 'no') }) {
  return imperativeClient({
    query: (request: GraphQLRequest) => {
      switch (operationName(request)) {
        case 'RecordingSearch': {
          const after = (request.variables as { after: string | null }).after;
          return {
            data: {
              recordings: {
                nodes: after ? [recording('r3')] : [recording('r1'), recording('r2', { customerId: null, customerName: null, dispositionCode: 'no_answer', dispositionLabel: null })],
                pageInfo: { hasNextPage: !after, endCursor: after ? null : 'c1' },
              },
            },
          };
        }
        case 'RecordingRights':
          return { data: { recordingSettings: { agentsMayPlayOwn: rights.play, viewerMayPlay: rights.play, viewerMayDownload: rights.download } } };
        case 'RecordingSearchOptions':
          return { data: { queues: { nodes: [{ id: 'UTox', name: 'Sales' }] }, agents: { nodes: [{ agentId: 'VXNlcjo5', displayName: 'Ana Agent' }] } } };
        case 'RecordingDispositions':
          return { data: { dispositions: [{ id: 'RGlzcDox', code: 'sale', label: 'Sale' }, { id: 'RGlzcDoy', code: 'no_answer', label: 'No answer' }] } };
        case 'RecordingPlaybackUrl':
          return playback;
        default:
          return undefined;
      }
    },
  });
}

function nth(items: HTMLElement[], index: number): HTMLElement {
  const item = items[index];
  if (!item) throw new Error(`no element ${index}`);
  return item;
}

const searches = (executeQuery: ReturnType<typeof client>['executeQuery']) =>
  executeQuery.mock.calls.map((c) => c[0]).filter((r) => operationName(r) === 'RecordingSearch').map((r) => r.variables);

describe('RecordingsPage', () => {
  beforeEach(() => {
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
  });

  it('lists recordings with their call, searches in the tenant time zone and pages', async () => {
    const { client: fake, executeQuery } = client({ play: true, download: true });
    renderPage(<RecordingsPage />, { client: fake, session: shanghai, path: '/supervisor/recordings' });
    const table = await screen.findByRole('table', { name: 'Recordings, newest first' });
    const headers = within(table).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Time', 'Direction', 'Queue', 'Agent', 'Customer', 'Duration', 'Disposition', 'Actions']);
    const row = nth(within(table).getAllByRole('row'), 1);
    expect(within(row).getAllByRole('cell').map((c) => c.textContent)).toEqual(
      expect.arrayContaining(['Inbound', 'Sales', 'Ana Agent', 'Ada Lovelace', '1:15', 'Sale']),
    );
    expect(within(table).getAllByRole('row')[2]).toHaveTextContent('+15550001111');
    // Without a label the code shows.
    expect(within(nth(within(table).getAllByRole('row'), 2)).getAllByRole('cell').map((c) => c.textContent)).toContain('no_answer');
    expect(screen.getAllByRole('button', { name: /^Download Call of/ })).toHaveLength(2);
    expect(nth(screen.getAllByRole('link', { name: /^Evaluate Call of/ }), 0)).toHaveAttribute('href', '/supervisor/qa?recording=r1');

    const user = userEvent.setup();
    await user.type(screen.getByLabelText('From'), '2026-11-20T09:00');
    await user.selectOptions(await screen.findByLabelText('Queue'), 'Sales');
    await user.selectOptions(screen.getByLabelText('Agent'), 'Ana Agent');
    await user.type(screen.getByLabelText('Caller number'), ' 0001 ');
    await user.selectOptions(screen.getByLabelText('Direction'), 'Inbound');
    await user.selectOptions(screen.getByLabelText('Disposition'), 'No answer');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() =>
      expect(searches(executeQuery).at(-1)).toEqual({
        filter: { startedFrom: '2026-11-20T01:00:00.000Z', queueId: 'UTox', agentId: 'VXNlcjo5', callerNumber: '0001', direction: 'INBOUND', dispositionCode: 'no_answer' },
        first: 25,
        after: null,
      }),
    );

    await user.click(nth(screen.getAllByRole('button', { name: 'Only calls of Ada Lovelace' }), 0));
    await waitFor(() => expect(searches(executeQuery).at(-1)?.filter).toMatchObject({ customerId: 'Q3VzdDox' }));
    expect(screen.getByText('Customer: Ada Lovelace')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(searches(executeQuery).at(-1)?.after).toBe('c1'));
  });

  it('opens the player for a row and plays it with both channels', async () => {
    const { client: fake } = client(
      { play: true, download: true },
      { data: { recordingPlaybackUrl: { url: '/v1/recordings/playback?key=r1', expiresAt: '2026-12-04T10:00:00Z' } } },
    );
    renderPage(<RecordingsPage />, { client: fake, session: ownerSession });
    const user = userEvent.setup();
    await user.click(nth(await screen.findAllByRole('button', { name: /^Listen to Call of/ }), 0));
    const panel = screen.getByRole('region', { name: /^Call of .*Ana Agent$/ });
    await user.click(within(panel).getByRole('button', { name: 'Play recording' }));
    expect(await within(panel).findByLabelText('Recording audio')).toHaveAttribute('src', '/v1/recordings/playback?key=r1');
    expect(within(panel).getByRole('group', { name: 'Caller' })).toBeInTheDocument();
    expect(within(panel).getByRole('group', { name: 'Agent' })).toBeInTheDocument();
    expect(within(panel).getByRole('button', { name: 'Download' })).toBeInTheDocument();
  });

  it('offers no download without the right', async () => {
    const { client: fake } = client({ play: true, download: false });
    renderPage(<RecordingsPage />, { client: fake, session: ownerSession });
    await screen.findAllByRole('button', { name: /^Listen to/ });
    expect(screen.queryByRole('button', { name: /Download/ })).not.toBeInTheDocument();
  });
});

describe('MyRecordingsPage', () => {
  it('searches without the queue and agent fields and says when agents may not play', async () => {
    const { client: fake } = client({ play: false, download: false });
    renderPage(<MyRecordingsPage />, { client: fake, session: agentSession });
    expect(await screen.findByText('Your center does not let agents play their recordings.')).toBeInTheDocument();
    expect(screen.queryByLabelText('Queue')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Agent')).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /^Evaluate/ })).not.toBeInTheDocument();
    expect(await screen.findByRole('option', { name: 'Sale' })).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(nth(await screen.findAllByRole('button', { name: /^Listen to/ }), 0));
    await user.click(screen.getByRole('button', { name: 'Play recording' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Your role may not play this recording.');
  });
});
