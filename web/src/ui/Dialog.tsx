import type { ReactNode } from 'react';
import { Dialog as AriaDialog, Heading, Modal, ModalOverlay } from 'react-aria-components';

interface DialogProps {
  title: string;
  isOpen: boolean;
  onClose: () => void;
  /** alertdialog for confirmations; dialog otherwise. */
  role?: 'dialog' | 'alertdialog';
  /** A wider dialog, for a form that edits lists side by side (a workflow). */
  wide?: boolean;
  children: ReactNode;
}

/**
 * A modal dialog (React Aria): named by its title, focus moves in and is trapped, Escape
 * and a click outside close it (not while `role="alertdialog"`), and focus returns to what
 * opened it. Styled by ui.css; React Aria injects no `<style>`, so the CSP holds.
 */
export function Dialog({ title, isOpen, onClose, role = 'dialog', wide = false, children }: DialogProps) {
  return (
    <ModalOverlay
      className="dialog-overlay"
      isOpen={isOpen}
      onOpenChange={(open) => !open && onClose()}
      isDismissable={role === 'dialog'}
    >
      <Modal className={wide ? 'dialog-modal dialog-modal-wide' : 'dialog-modal'}>
        <AriaDialog className="dialog" role={role}>
          <Heading slot="title" className="dialog-title">
            {title}
          </Heading>
          {children}
        </AriaDialog>
      </Modal>
    </ModalOverlay>
  );
}
