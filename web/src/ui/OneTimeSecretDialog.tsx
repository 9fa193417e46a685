import { useId, useRef, useState, type ReactNode } from 'react';

import { Button } from './Button';
import { Dialog } from './Dialog';
import { StatusMessage } from './StatusMessage';

interface OneTimeSecretDialogProps {
  title: string;
  /** The secret, or null when the dialog is closed. */
  secret: string | null;
  /** The secret field's label. */
  label: string;
  /** The warning that this is the only time it is shown. */
  warning: ReactNode;
  copyLabel: string;
  copiedText: string;
  /** Said when the clipboard refuses: the text is selected for the user to copy. */
  copyFailedText: string;
  doneLabel: string;
  onClose: () => void;
}

/**
 * A secret the server shows once (an API key): read-only, selectable, with a copy button
 * and a warning. An alertdialog, so a stray click outside does not lose it; "Done" closes it.
 */
export function OneTimeSecretDialog({
  title,
  secret,
  label,
  warning,
  copyLabel,
  copiedText,
  copyFailedText,
  doneLabel,
  onClose,
}: OneTimeSecretDialogProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string | null>(null);

  const copy = async () => {
    if (secret === null) return;
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(copiedText);
    } catch {
      input.current?.select();
      setCopied(copyFailedText);
    }
  };
  const close = () => {
    setCopied(null);
    onClose();
  };

  return (
    <Dialog title={title} isOpen={secret !== null} onClose={close} role="alertdialog">
      <div className="alert alert-warning" id={`${id}-warning`}>
        {warning}
      </div>
      <div className="field">
        <label htmlFor={id} className="field-label">
          {label}
        </label>
        <div className="secret-row">
          <input
            ref={input}
            id={id}
            className="input secret-value"
            readOnly
            value={secret ?? ''}
            aria-describedby={`${id}-warning`}
            onFocus={(event) => event.currentTarget.select()}
          />
          <Button onClick={() => void copy()}>{copyLabel}</Button>
        </div>
      </div>
      <StatusMessage message={copied} />
      <div className="dialog-actions">
        <Button variant="primary" onClick={close} autoFocus>
          {doneLabel}
        </Button>
      </div>
    </Dialog>
  );
}
