import type { Key, ReactNode } from 'react';

export interface Column<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  /** Row header cell: names the row for screen readers (`getByRole('row', { name })`). */
  isRowHeader?: boolean;
  className?: string;
  /** Shown in the header cell instead of `header` (a "select all" checkbox). */
  headerContent?: ReactNode;
  /** A sortable column: its order now (`aria-sort`), and what its header button (named by `header`) does. */
  sort?: { direction: 'ascending' | 'descending' | 'none'; onSort: () => void };
}

interface DataTableProps<Row> {
  /** Names the table (`getByRole('table', { name })`); visually hidden. */
  caption: string;
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  rowKey: (row: Row) => Key;
  /** Shown in place of the rows when there are none. */
  empty: ReactNode;
  busy?: boolean;
}

function HeaderCell<Row>({ column }: { column: Column<Row> }) {
  if (column.headerContent !== undefined) return <>{column.headerContent}</>;
  if (!column.sort) return <>{column.header}</>;
  const arrow = column.sort.direction === 'ascending' ? '▲' : column.sort.direction === 'descending' ? '▼' : '';
  return (
    <button type="button" className="sort-button" onClick={column.sort.onSort}>
      {column.header}
      <span aria-hidden="true" className="sort-arrow">
        {arrow}
      </span>
    </button>
  );
}

/** A plain, semantic table: `<th scope="col">` headers, one row header per row. */
export function DataTable<Row>({ caption, rows, columns, rowKey, empty, busy = false }: DataTableProps<Row>) {
  return (
    <div className="table-wrap">
      <table className="table" aria-busy={busy || undefined}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col" className={column.className} aria-sort={column.sort?.direction}>
                <HeaderCell column={column} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="table-empty">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) =>
                  column.isRowHeader ? (
                    <th key={column.header} scope="row" className={column.className}>
                      {column.cell(row)}
                    </th>
                  ) : (
                    <td key={column.header} className={column.className}>
                      {column.cell(row)}
                    </td>
                  ),
                )}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
