import { useCallback, useState } from 'react';

/** Which dialog of an admin page is open: none, "create", "edit row" or "delete row". */
export type EditorState<Row> =
  | { mode: 'closed' }
  | { mode: 'create' }
  | { mode: 'edit'; row: Row }
  | { mode: 'delete'; row: Row };

/** The dialogs' state of a create/edit/delete page, and a status line for what just happened. */
export function useEditorState<Row>() {
  const [state, setState] = useState<EditorState<Row>>({ mode: 'closed' });
  const [status, setStatus] = useState<string | null>(null);
  const open = useCallback((next: EditorState<Row>) => {
    setStatus(null);
    setState(next);
  }, []);
  const close = useCallback(() => setState({ mode: 'closed' }), []);
  /** Closes the dialog and announces `message` in the page's live region. */
  const finish = useCallback((message: string) => {
    setState({ mode: 'closed' });
    setStatus(message);
  }, []);
  return {
    state,
    status,
    openCreate: useCallback(() => open({ mode: 'create' }), [open]),
    openEdit: useCallback((row: Row) => open({ mode: 'edit', row }), [open]),
    openDelete: useCallback((row: Row) => open({ mode: 'delete', row }), [open]),
    close,
    finish,
  };
}
