import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { fakeClient, gqlError, operationName, ownerSession, renderPage } from '../../test/render';
import RecordingAccessLogPage from './RecordingAccessLogPage';

describe('RecordingAccessLogPage', () => {
  it('lists the log newest first and changes whether agents may play', async () => {
    let allowed = true;
    const { client, executeMutation } = fakeClient({
      query: (request) => {
        if (operationName(request) === 'RecordingRights') {
          return { data: { recordingSettings: { agentsMayPlayOwn: allowed, viewerMayPlay: true, viewerMayDownload: true } } };
        }
        return {
          data: {
            recordingAccessLog: {
              nodes: [
                { id: 'e2', recordingId: 'r1', callId: 'call-9', action: 'DOWNLOAD', userId: 'u1', userName: 'Sam Supervisor', role: 'SUPERVISOR', clientIp: '127.0.0.1', at: '2026-12-04T10:00:00+00:00' },
                { id: 'e1', recordingId: 'r1', callId: 'call-9', action: 'PLAY', userId: null, userName: null, role: 'ADMIN', clientIp: null, at: '2026-12-04T09:00:00+00:00' },
              ],
              pageInfo: { hasNextPage: false, endCursor: null },
            },
          },
        };
      },
      mutation: (request) => {
        allowed = (request.variables as { input: { agentsMayPlayOwn: boolean } }).input.agentsMayPlayOwn;
        return allowed ? { error: gqlError('FORBIDDEN', 'role admin may not') } : { data: { updateRecordingSettings: { agentsMayPlayOwn: false, viewerMayPlay: true, viewerMayDownload: true } } };
      },
    });
    renderPage(<RecordingAccessLogPage />, { client, session: ownerSession });
    const table = await screen.findByRole('table', { name: 'Recording access log, newest first' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('Sam Supervisor');
    expect(rows[0]).toHaveTextContent('Downloaded');
    expect(rows[0]).toHaveTextContent('127.0.0.1');
    expect(rows[1]).toHaveTextContent('API key');
    expect(rows[1]).toHaveTextContent('Played');

    const user = userEvent.setup();
    const box = screen.getByRole('checkbox', { name: 'Agents may play the recordings of their own calls' });
    expect(box).toBeChecked();
    await user.click(box);
    await waitFor(() => expect(executeMutation).toHaveBeenCalledTimes(1));
    expect(executeMutation.mock.calls[0]?.[0].variables).toEqual({ input: { agentsMayPlayOwn: false } });
    expect(await screen.findByText('Agents may no longer play recordings.')).toBeInTheDocument();
  });
});
