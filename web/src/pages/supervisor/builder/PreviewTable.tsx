import type { MessageId } from '../../../i18n/messages';
import { useT } from '../../../i18n/useT';
import { downloadCsv } from '../reports/csv';
import { ScrollRegion } from '../reports/ScrollRegion';
import { parseCsv } from './definition';

/** The preview: the CSV the report would export, as a table (row ids shown by name). */
export function PreviewTable({
  csv,
  names,
  filename,
  rowsNote = 'builder.preview.rows',
}: {
  csv: string;
  names: ReadonlyMap<string, string>;
  filename: string;
  /** What the rows are, with `{count}`. */
  rowsNote?: MessageId;
}) {
  const t = useT();
  const [header = [], ...rows] = parseCsv(csv);
  return (
    <section className="report-chart" aria-labelledby="preview-heading">
      <div className="report-chart-header">
        <h2 id="preview-heading">{t('builder.preview.title')}</h2>
        <button type="button" className="btn btn-secondary btn-small" onClick={() => downloadCsv(filename, csv)}>
          {t('builder.preview.csv')}
        </button>
      </div>
      <p className="report-definition">{t(rowsNote, { count: rows.length })}</p>
      <ScrollRegion label={t('builder.preview.title')}>
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('builder.preview.title')}</caption>
            <thead>
              <tr>
                {header.map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 ? (
                <tr>
                  <td colSpan={Math.max(1, header.length)} className="table-empty">
                    {t('builder.preview.empty')}
                  </td>
                </tr>
              ) : (
                rows.map((row, i) => (
                  <tr key={i}>
                    {row.map((cell, j) =>
                      j === 0 ? (
                        <th key={j} scope="row">
                          {cell}
                        </th>
                      ) : (
                        <td key={j}>{j === 2 ? (names.get(cell) ?? cell) : cell}</td>
                      ),
                    )}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </ScrollRegion>
    </section>
  );
}
