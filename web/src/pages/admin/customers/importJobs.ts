import { csrfFetch } from '../../../api/csrf';
import type { ColumnMapping } from './csv';

/** One skipped row of an import report (tenants/crm/import_jobs.py report_dict). */
export interface ImportRowError {
  row: number;
  message: string;
  field: string | null;
}

export interface ImportReport {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  errors: ImportRowError[];
  /** What each written row did (or would do), for the first 1,000 rows; rejected rows are in `errors`. */
  outcomes?: { row: number; outcome: 'created' | 'updated' | 'unchanged' }[];
}

/** A background import as GET /v1/crm/import-jobs/{id} shows it (tenants/crm/http.py job_json). */
export interface ImportJob {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  dryRun: boolean;
  rowsTotal: number;
  rowsDone: number;
  report: ImportReport | null;
  failure: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** A refused REST request: its status and the server's `detail` (api/http/errors.py). */
export class RestError extends Error {
  readonly status: number;
  readonly code: string | null;

  constructor(status: number, message: string, code: string | null) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** Worth trying again: the network or the server failed. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

export const IMPORT_PATH = '/v1/crm/customers/import';
export const EXPORT_PATH = '/v1/crm/customers/export.csv';
export const JOB_PATH = '/v1/crm/import-jobs/';

async function json<T>(request: Promise<Response>): Promise<T> {
  let response: Response;
  try {
    response = await request;
  } catch (error) {
    throw new RestError(0, String(error), null);
  }
  if (!response.ok) {
    let detail = `HTTP ${response.status}`;
    let code: string | null = null;
    try {
      const body = (await response.json()) as { detail?: unknown; code?: unknown };
      if (typeof body.detail === 'string') detail = body.detail;
      if (typeof body.code === 'string') code = body.code;
    } catch {
      // Not JSON (a proxy's page): the status says enough.
    }
    throw new RestError(response.status, detail, code);
  }
  return (await response.json()) as T;
}

/**
 * Starts a background import (or dry run) of `csv` with `mapping`: the browser session's
 * cookie and CSRF header authenticate it (csrfFetch), as GraphQL requests are.
 */
export function startImport(csv: string, mapping: ColumnMapping, dryRun: boolean): Promise<ImportJob> {
  const query = new URLSearchParams({ mapping: JSON.stringify(mapping), dry_run: String(dryRun), background: 'true' });
  return json<ImportJob>(
    csrfFetch(`${IMPORT_PATH}?${query.toString()}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv; charset=utf-8' },
      body: csv,
    }),
  );
}

export function fetchImportJob(id: string): Promise<ImportJob> {
  return json<ImportJob>(csrfFetch(`${JOB_PATH}${encodeURIComponent(id)}`, { method: 'GET' }));
}

/** The export's URL for the list's current filter (the endpoint takes the same fields). */
export function exportUrl(filter: { namePrefix?: string | null; phone?: string | null; category?: string | null; tag?: string | null; ownerId?: string | null }): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) query.set(key, value);
  const text = query.toString();
  return text ? `${EXPORT_PATH}?${text}` : EXPORT_PATH;
}
