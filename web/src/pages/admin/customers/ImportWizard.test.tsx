import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ownerSession, renderPage } from '../../../test/render';
import type { ImportJob, ImportReport } from './importJobs';
import { ImportWizard } from './ImportWizard';

const CSV = 'Name,Tel,Tier\nAda Lovelace,+1 415 555 0100,gold\nBad Row,12,gold\n\nGrace Hopper,+1 415 555 0102,silver\n';

function job(status: ImportJob['status'], dryRun: boolean, rowsDone: number, report: ImportReport | null = null): ImportJob {
  return { id: 'job-1', status, dryRun, rowsTotal: 3, rowsDone, report, failure: null, createdAt: '2025-03-01T09:30:00+00:00', finishedAt: null };
}

const report = (dryRun: boolean): ImportReport => ({
  dryRun,
  rows: 3,
  created: 1,
  updated: 1,
  unchanged: 0,
  skipped: 1,
  errors: [{ row: 2, message: "phone: invalid phone number '12'", field: 'phone' }],
  outcomes: [
    { row: 1, outcome: 'created' },
    { row: 4, outcome: 'updated' },
  ],
});

function response(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

let fetchMock: ReturnType<typeof vi.fn>;
beforeEach(() => {
  document.cookie = 'hotline_csrf=token-1';
  fetchMock = vi.fn();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

function renderWizard() {
  const onImported = vi.fn();
  const onClose = vi.fn();
  renderPage(<ImportWizard customFields={[{ key: 'tier', label: 'Tier' }]} onClose={onClose} onImported={onImported} pollMs={5} />, { session: ownerSession });
  return { onImported, onClose, user: userEvent.setup() };
}

async function upload(user: ReturnType<typeof userEvent.setup>, text = CSV) {
  await user.upload(screen.getByLabelText('CSV file'), new File([text], 'customers.csv', { type: 'text/csv' }));
}

describe('ImportWizard', () => {
  it('guesses the mapping from the header, and needs a name column', async () => {
    const { user } = renderWizard();
    await upload(user);
    expect(await screen.findByRole('heading', { name: 'Match the columns to customer fields' })).toBeInTheDocument();
    expect(screen.getByText('customers.csv: 3 rows. Check the guess for each column; one must be the name.')).toBeInTheDocument();
    expect(screen.getByLabelText('Column “Name”')).toHaveValue('name');
    expect(screen.getByLabelText('Column “Tel”')).toHaveValue('phone');
    expect(screen.getByLabelText('Column “Tier”')).toHaveValue('custom:tier');
    expect(screen.getByLabelText('Column “Tel”')).toHaveAccessibleDescription('First row: +1 415 555 0100');

    await user.selectOptions(screen.getByLabelText('Column “Name”'), 'Do not import');
    expect(screen.getByRole('alert')).toHaveTextContent('Map one column to Name.');
    expect(screen.getByRole('button', { name: 'Check the file' })).toBeDisabled();
  });

  it('dry-runs in the background, reports row by row, then imports with progress and a summary', async () => {
    const polls = [job('running', true, 1), job('done', true, 3, report(true)), job('running', false, 2), job('done', false, 3, report(false))];
    fetchMock.mockImplementation((url: string, init?: RequestInit) => {
      if (init?.method === 'POST') return Promise.resolve(response(job('queued', url.includes('dry_run=true'), 0), 202));
      return Promise.resolve(response(polls.shift()));
    });
    const { user, onImported, onClose } = renderWizard();
    await upload(user);
    await user.click(await screen.findByRole('button', { name: 'Check the file' }));

    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    const query = new URL(url, 'http://x').searchParams;
    expect(new URL(url, 'http://x').pathname).toBe('/v1/crm/customers/import');
    expect(JSON.parse(query.get('mapping') ?? '')).toEqual({ Name: 'name', Tel: 'phone', Tier: 'custom:tier' });
    expect(query.get('dry_run')).toBe('true');
    expect(query.get('background')).toBe('true');
    expect(init.body).toBe(CSV);
    expect(new Headers(init.headers).get('X-CSRF-Token')).toBe('token-1');
    expect(init.credentials).toBe('same-origin');

    const rows = await screen.findByRole('table', { name: 'Dry run, row by row' });
    expect(within(rows).getByRole('row', { name: /Row 1/ })).toHaveTextContent('Ada LovelaceWould be created');
    expect(within(rows).getByRole('row', { name: /Row 2/ })).toHaveTextContent("Bad RowRejectedphone: invalid phone number '12'");
    expect(within(rows).queryByRole('row', { name: /Row 3/ })).not.toBeInTheDocument(); // the blank line
    expect(within(rows).getByRole('row', { name: /Row 4/ })).toHaveTextContent('Grace HopperWould update a customer');
    const totals = screen.getByText('Would create').closest('dl');
    expect(totals).toHaveTextContent('Would create1');
    expect(totals).toHaveTextContent('Would reject1');

    await user.click(screen.getByLabelText('Show only rejected rows'));
    expect(within(rows).getAllByRole('row')).toHaveLength(2);

    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect(await screen.findByRole('heading', { name: 'Import finished' })).toBeInTheDocument();
    expect(fetchMock.mock.calls.map(([url]) => new URL(url as string, 'http://x').pathname)).toContain('/v1/crm/import-jobs/job-1');
    const posts = fetchMock.mock.calls.filter(([, init]) => (init as RequestInit | undefined)?.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(new URL(posts[1]?.[0] as string, 'http://x').searchParams.get('dry_run')).toBe('false');
    expect(screen.getByText('Created').nextSibling).toHaveTextContent('1');
    expect(screen.getByText('Updated').nextSibling).toHaveTextContent('1');
    expect(within(screen.getByRole('table', { name: 'Rejected rows' })).getByRole('row', { name: /Row 2/ })).toHaveTextContent("phone: invalid phone number '12'");

    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(onImported).toHaveBeenCalled();
    expect(onClose).toHaveBeenCalled();
  });

  it('shows a progress bar while the job runs', async () => {
    fetchMock.mockImplementation((_url: string, init?: RequestInit) =>
      Promise.resolve(init?.method === 'POST' ? response(job('queued', true, 0), 202) : response(job('running', true, 2))),
    );
    const { user } = renderWizard();
    await upload(user);
    await user.click(await screen.findByRole('button', { name: 'Check the file' }));
    const bar = await screen.findByRole('progressbar', { name: 'Checking the rows' });
    await waitFor(() => expect(bar).toHaveAttribute('value', '2'));
    expect(bar).toHaveAttribute('max', '3');
    expect(screen.getByText('2 of 3 rows')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Import' })).toBeDisabled();
  });

  it('shows the server refusing the mapping, and a retry when the server cannot be reached', async () => {
    fetchMock
      .mockResolvedValueOnce(response({ detail: "mapping: no column 'Tel' in the file", code: 'BAD_USER_INPUT' }, 400))
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(response(job('done', true, 3, report(true)), 202));
    const { user } = renderWizard();
    await upload(user);
    await user.click(await screen.findByRole('button', { name: 'Check the file' }));
    expect(await screen.findByRole('alert')).toHaveTextContent("The server refused this: mapping: no column 'Tel' in the file");

    await user.click(screen.getByRole('button', { name: 'Back to the columns' }));
    await user.click(screen.getByRole('button', { name: 'Check the file' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('could not be reached');
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('table', { name: 'Dry run, row by row' })).toBeInTheDocument();
  });
});
