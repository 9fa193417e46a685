import { useId, useMemo, useState } from 'react';
import { useIntl } from 'react-intl';

import type { MessageId } from '../../../i18n/messages';
import { useT } from '../../../i18n/useT';
import { Button } from '../../../ui/Button';
import { guessMapping, isBlank, mappingProblem, parseCsv, PLAIN_TARGETS, type ColumnMapping, type ParsedCsv } from './csv';
import type { ImportJob, ImportReport } from './importJobs';
import { useImportJob, type JobState } from './useImportJob';

interface CustomFieldChoice {
  key: string;
  label: string;
}

interface LoadedFile {
  name: string;
  text: string;
  parsed: ParsedCsv;
}

/** Rows shown in the dry-run report (every rejected row is shown on request). */
export const REPORT_ROWS_SHOWN = 200;

const TARGET_LABELS: Record<(typeof PLAIN_TARGETS)[number], MessageId> = {
  name: 'field.name',
  company: 'admin.customers.company',
  email: 'field.email',
  phone: 'admin.customers.phone',
  category: 'admin.customers.category',
  tags: 'admin.customers.tags',
  notes: 'admin.customers.notes',
  external_id: 'admin.customers.externalId',
  owner_email: 'admin.customers.ownerEmail',
};

interface ImportWizardProps {
  customFields: readonly CustomFieldChoice[];
  onClose: () => void;
  /** The real import ended: the list should be read again. */
  onImported: () => void;
  pollMs?: number;
}

/**
 * CSV import in four steps: choose a file → map its columns to customer fields (guessed
 * from the header) → a dry run, reported row by row → the import in the background with
 * a progress bar, then its summary. Both runs are background jobs of the REST API.
 */
export function ImportWizard({ customFields, onClose, onImported, pollMs }: ImportWizardProps) {
  const t = useT();
  const [file, setFile] = useState<LoadedFile | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [step, setStep] = useState<'file' | 'mapping' | 'dryRun' | 'import'>('file');
  const dryRun = useImportJob(pollMs);
  const run = useImportJob(pollMs);

  return (
    <div className="import-wizard">
      <ol className="wizard-steps" aria-label={t('admin.customers.import.steps')}>
        {(['file', 'mapping', 'dryRun', 'import'] as const).map((name) => (
          <li key={name} aria-current={step === name ? 'step' : undefined} className={step === name ? 'is-current' : undefined}>
            {t(`admin.customers.import.step.${name}`)}
          </li>
        ))}
      </ol>
      {step === 'file' ? (
        <FileStep
          onLoaded={(loaded) => {
            setFile(loaded);
            setMapping(guessMapping(loaded.parsed.header, customFields));
            setStep('mapping');
          }}
          onCancel={onClose}
        />
      ) : null}
      {step === 'mapping' && file ? (
        <MappingStep
          file={file}
          customFields={customFields}
          mapping={mapping}
          onChange={setMapping}
          onBack={() => setStep('file')}
          onNext={() => {
            dryRun.start(file.text, mapping, true);
            setStep('dryRun');
          }}
        />
      ) : null}
      {step === 'dryRun' && file ? (
        <section aria-labelledby="import-dry-run">
          <h3 id="import-dry-run" className="wizard-title">
            {t('admin.customers.import.dryRunTitle')}
          </h3>
          <JobView state={dryRun.state} label={t('admin.customers.import.checking')} />
          {dryRun.state.phase === 'done' && dryRun.state.job.report ? (
            <>
              <ReportTotals report={dryRun.state.job.report} />
              <DryRunRows parsed={file.parsed} mapping={mapping} report={dryRun.state.job.report} />
            </>
          ) : null}
          <div className="dialog-actions">
            <Button
              onClick={() => {
                dryRun.reset();
                setStep('mapping');
              }}
            >
              {t('admin.customers.import.backToMapping')}
            </Button>
            <Button
              variant="primary"
              disabled={dryRun.state.phase !== 'done'}
              onClick={() => {
                run.start(file.text, mapping, false);
                setStep('import');
              }}
            >
              {t('admin.customers.import.run')}
            </Button>
          </div>
        </section>
      ) : null}
      {step === 'import' ? (
        <section aria-labelledby="import-run">
          <h3 id="import-run" className="wizard-title">
            {run.state.phase === 'done' ? t('admin.customers.import.summaryTitle') : t('admin.customers.import.runningTitle')}
          </h3>
          <JobView state={run.state} label={t('admin.customers.import.importing')} />
          {run.state.phase === 'done' && run.state.job.report ? (
            <>
              <ReportTotals report={run.state.job.report} />
              <RejectedRows report={run.state.job.report} />
            </>
          ) : null}
          <div className="dialog-actions">
            <Button
              variant="primary"
              onClick={() => {
                if (run.state.phase === 'done') onImported();
                onClose();
              }}
            >
              {t('admin.customers.import.close')}
            </Button>
          </div>
        </section>
      ) : null}
    </div>
  );
}

/** A file's text (FileReader: every browser, and jsdom, has it). */
function readText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('unreadable file'));
    reader.readAsText(file, 'utf-8');
  });
}

/** Step 1: a CSV file, read in the browser for its header and rows. */
export function FileStep({ onLoaded, onCancel }: { onLoaded: (file: LoadedFile) => void; onCancel: () => void }) {
  const t = useT();
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {t('admin.customers.import.file')}
      </label>
      <input
        id={id}
        type="file"
        accept=".csv,text/csv"
        className="input"
        aria-describedby={problem ? `${id}-error` : `${id}-hint`}
        aria-invalid={problem ? true : undefined}
        onChange={(event) => {
          const chosen = event.target.files?.[0];
          if (!chosen) return;
          void readText(chosen).then((text) => {
            const parsed = parseCsv(text);
            if (!parsed.header.some(Boolean)) {
              setProblem(t('admin.customers.import.emptyFile'));
              return;
            }
            setProblem(null);
            onLoaded({ name: chosen.name, text, parsed });
          });
        }}
      />
      <p id={`${id}-hint`} className="field-hint">
        {t('admin.customers.import.fileHint')}
      </p>
      {problem ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="dialog-actions">
        <Button onClick={onCancel}>{t('action.cancel')}</Button>
      </div>
    </div>
  );
}

interface MappingStepProps {
  file: LoadedFile;
  customFields: readonly CustomFieldChoice[];
  mapping: ColumnMapping;
  onChange: (mapping: ColumnMapping) => void;
  onBack: () => void;
  onNext: () => void;
}

/** Step 2: each column of the file → a customer field, or not imported. */
export function MappingStep({ file, customFields, mapping, onChange, onBack, onNext }: MappingStepProps) {
  const t = useT();
  const intl = useIntl();
  const options = [
    { value: '', label: t('admin.customers.import.skipColumn') },
    ...PLAIN_TARGETS.map((target) => ({ value: target, label: t(TARGET_LABELS[target]) })),
    ...customFields.map((field) => ({ value: `custom:${field.key}`, label: field.label })),
  ];
  const problem = mappingProblem(mapping);
  const dataRows = file.parsed.rows.filter((row) => !isBlank(row));
  const sample = dataRows[0] ?? [];
  return (
    <section aria-labelledby="import-mapping">
      <h3 id="import-mapping" className="wizard-title">
        {t('admin.customers.import.mappingTitle')}
      </h3>
      <p>{t('admin.customers.import.mappingIntro', { file: file.name, rows: intl.formatNumber(dataRows.length) })}</p>
      <div className="mapping-grid">
        {file.parsed.header.map((column, index) =>
          column ? (
            <MappingRow
              key={`${index}-${column}`}
              column={column}
              example={sample[index] ?? ''}
              value={mapping[column] ?? ''}
              options={options}
              onChange={(target) => {
                const rest = Object.fromEntries(Object.entries(mapping).filter(([name]) => name !== column));
                onChange(target ? { ...rest, [column]: target } : rest);
              }}
            />
          ) : null,
        )}
      </div>
      {problem ? (
        <p role="alert" className="alert alert-error">
          {t(problem === 'noName' ? 'admin.customers.import.needName' : 'admin.customers.import.duplicateField')}
        </p>
      ) : null}
      <div className="dialog-actions">
        <Button onClick={onBack}>{t('admin.customers.import.back')}</Button>
        <Button variant="primary" disabled={problem !== null} onClick={onNext}>
          {t('admin.customers.import.dryRun')}
        </Button>
      </div>
    </section>
  );
}

function MappingRow({
  column,
  example,
  value,
  options,
  onChange,
}: {
  column: string;
  example: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (target: string) => void;
}) {
  const t = useT();
  const id = useId();
  return (
    <div className="field mapping-row">
      <label htmlFor={id} className="field-label">
        {t('admin.customers.import.columnLabel', { column })}
      </label>
      <select id={id} className="input" value={value} onChange={(event) => onChange(event.target.value)} aria-describedby={`${id}-example`}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <p id={`${id}-example`} className="field-hint">
        {example ? t('admin.customers.import.example', { example }) : t('admin.customers.import.noExample')}
      </p>
    </div>
  );
}

/** A job's progress bar while it runs, or why it failed. */
export function JobView({ state, label }: { state: JobState; label: string }) {
  const t = useT();
  const intl = useIntl();
  if (state.phase === 'error') {
    return (
      <div role="alert" className={`alert ${state.error.retryable ? 'alert-warning' : 'alert-error'}`}>
        <p>{state.error.retryable ? t('problem.retryable') : t('problem.badInput', { detail: state.error.message })}</p>
        {state.error.retryable ? <Button onClick={state.retry}>{t('action.retry')}</Button> : null}
      </div>
    );
  }
  if (state.phase === 'failed') {
    return (
      <p role="alert" className="alert alert-error">
        {t('admin.customers.import.failed', { reason: state.job.failure ?? '' })}
      </p>
    );
  }
  if (state.phase === 'idle' || state.phase === 'done') return null;
  const job: ImportJob | null = state.phase === 'running' ? state.job : null;
  const total = job?.rowsTotal ?? 0;
  const done = Math.min(job?.rowsDone ?? 0, total);
  return (
    <div className="job-progress">
      <label className="field-label" htmlFor="import-progress">
        {label}
      </label>
      <progress id="import-progress" max={total || 1} value={total ? done : undefined} aria-valuetext={t('admin.customers.import.progress', { done: intl.formatNumber(done), total: intl.formatNumber(total) })} />
      <p className="field-hint" aria-live="polite">
        {t('admin.customers.import.progress', { done: intl.formatNumber(done), total: intl.formatNumber(total) })}
      </p>
    </div>
  );
}

/** What the run did (or would do): created, updated, unchanged, rejected. */
export function ReportTotals({ report }: { report: ImportReport }) {
  const t = useT();
  const intl = useIntl();
  const prefix = report.dryRun ? 'admin.customers.import.would' : 'admin.customers.import.did';
  return (
    <dl className="import-totals">
      {(['created', 'updated', 'unchanged', 'skipped'] as const).map((key) => (
        <div key={key}>
          <dt>{t(`${prefix}.${key}`)}</dt>
          <dd>{intl.formatNumber(report[key])}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The dry run row by row: each row of the file, accepted or rejected and why. */
export function DryRunRows({ parsed, mapping, report }: { parsed: ParsedCsv; mapping: ColumnMapping; report: ImportReport }) {
  const t = useT();
  const intl = useIntl();
  const [onlyRejected, setOnlyRejected] = useState(false);
  const toggleId = useId();
  const nameIndex = parsed.header.findIndex((column) => mapping[column] === 'name');
  const errors = useMemo(() => {
    const byRow = new Map<number, string[]>();
    for (const error of report.errors) byRow.set(error.row, [...(byRow.get(error.row) ?? []), error.message]);
    return byRow;
  }, [report]);
  const outcomes = useMemo(() => new Map((report.outcomes ?? []).map((o) => [o.row, o.outcome])), [report]);
  const outcomeText = (row: number): string => {
    switch (outcomes.get(row)) {
      case 'created':
        return t('admin.customers.import.wouldCreate');
      case 'updated':
        return t('admin.customers.import.wouldUpdate');
      case 'unchanged':
        return t('admin.customers.import.wouldKeep');
      default:
        return t('admin.customers.import.accepted');
    }
  };
  const numbered = useMemo(
    () => parsed.rows.map((cells, index) => ({ number: index + 1, cells })).filter((row) => !isBlank(row.cells) || errors.has(row.number)),
    [errors, parsed.rows],
  );
  const shown = onlyRejected ? numbered.filter((row) => errors.has(row.number)) : numbered.slice(0, REPORT_ROWS_SHOWN);
  return (
    <>
      <p className="field-hint">{t('admin.customers.import.rowsHint')}</p>
      <div className="checkbox-label">
        <input id={toggleId} type="checkbox" checked={onlyRejected} onChange={(event) => setOnlyRejected(event.target.checked)} />
        <label htmlFor={toggleId}>{t('admin.customers.import.onlyRejected')}</label>
      </div>
      <div className="table-wrap import-rows">
        <table className="table">
          <caption className="visually-hidden">{t('admin.customers.import.reportCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.customers.import.row')}</th>
              <th scope="col">{t('field.name')}</th>
              <th scope="col">{t('admin.customers.import.outcome')}</th>
              <th scope="col">{t('admin.customers.import.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => {
              const reasons = errors.get(row.number);
              return (
                <tr key={row.number} className={reasons ? 'row-rejected' : undefined}>
                  <th scope="row">{t('admin.customers.import.rowNumber', { row: intl.formatNumber(row.number) })}</th>
                  <td>{nameIndex >= 0 ? (row.cells[nameIndex] ?? '') : ''}</td>
                  <td>{reasons ? t('admin.customers.import.rejected') : outcomeText(row.number)}</td>
                  <td>{reasons ? reasons.join('; ') : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {!onlyRejected && numbered.length > shown.length ? (
        <p className="field-hint">{t('admin.customers.import.moreRows', { shown: intl.formatNumber(shown.length), total: intl.formatNumber(numbered.length) })}</p>
      ) : null}
    </>
  );
}

/** After the import: the rows it skipped, and why. */
function RejectedRows({ report }: { report: ImportReport }) {
  const t = useT();
  const intl = useIntl();
  if (!report.errors.length) return null;
  return (
    <div className="table-wrap import-rows">
      <table className="table">
        <caption className="visually-hidden">{t('admin.customers.import.rejectedCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.customers.import.row')}</th>
            <th scope="col">{t('admin.customers.import.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {report.errors.map((error, index) => (
            <tr key={`${error.row}-${index}`}>
              <th scope="row">{t('admin.customers.import.rowNumber', { row: intl.formatNumber(error.row) })}</th>
              <td>{error.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
