import type { ReactNode } from 'react';

import { useServerAction, type Send } from '../forms/useServerAction';
import { useT } from '../i18n/useT';
import { Button } from './Button';
import { Dialog } from './Dialog';
import { FormAlert } from './FormAlert';

interface ConfirmDialogProps<TData> {
  title: string;
  /** What will happen, in a sentence. */
  children: ReactNode;
  confirmLabel: string;
  isOpen: boolean;
  onClose: () => void;
  /** The mutation to send on confirmation. */
  send: Send<TData>;
  onDone: (data: TData) => void;
}

/** "Are you sure?" for a destructive action; the server's refusal (CONFLICT…) shows inside. */
export function ConfirmDialog<TData>({
  title,
  children,
  confirmLabel,
  isOpen,
  onClose,
  send,
  onDone,
}: ConfirmDialogProps<TData>) {
  const t = useT();
  const action = useServerAction();
  const close = () => {
    action.clear();
    onClose();
  };
  return (
    <Dialog title={title} isOpen={isOpen} onClose={close} role="alertdialog">
      <div className="dialog-body">{children}</div>
      <FormAlert problem={action.problem} />
      <div className="dialog-actions">
        <Button variant="secondary" onClick={close}>
          {t('action.cancel')}
        </Button>
        <Button
          variant="danger"
          busy={action.busy}
          onClick={() =>
            void action.run(send, (data) => {
              onDone(data);
              close();
            })
          }
        >
          {confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
