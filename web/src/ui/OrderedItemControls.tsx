import { useEffect, useRef } from 'react';

import { useT } from '../i18n/useT';
import { Button } from './Button';

export type MoveDirection = 'up' | 'down';

interface OrderedItemControlsProps {
  index: number;
  count: number;
  /** Moves this item one place; the parent then passes `focus` to the item where it landed. */
  onMove: (from: number, to: number, direction: MoveDirection) => void;
  onRemove: () => void;
  removeLabel: string;
  /** Whether the item may be removed (e.g. not the only step of a workflow). */
  canRemove?: boolean;
  /**
   * Set on the item that just moved: its button for that direction takes the focus again.
   * A new object per move, so a second move the same way focuses again.
   */
  focus?: { direction: MoveDirection } | null;
}

/**
 * "Move up", "Move down" and "Remove" of one item of an ordered list (workflow steps, field
 * schemas): plain buttons, so the order changes by keyboard as well as by pointer, and the
 * focus follows the moved item. Their names repeat per item; the item's group (a fieldset's
 * legend) tells them apart.
 */
export function OrderedItemControls({
  index,
  count,
  onMove,
  onRemove,
  removeLabel,
  canRemove = true,
  focus = null,
}: OrderedItemControlsProps) {
  const t = useT();
  const up = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!focus || !up.current) return;
    const buttons = up.current.querySelectorAll<HTMLButtonElement>('button');
    const [moveUp, moveDown] = [buttons[0], buttons[1]];
    // At the top or the bottom the pressed button is disabled: the other one takes the focus.
    const wanted = focus.direction === 'up' ? moveUp : moveDown;
    const target = wanted && !wanted.disabled ? wanted : focus.direction === 'up' ? moveDown : moveUp;
    target?.focus();
  }, [focus]);
  return (
    <div className="row-actions" ref={up}>
      <Button className="btn-small" disabled={index === 0} onClick={() => onMove(index, index - 1, 'up')}>
        {t('action.moveUp')}
      </Button>
      <Button className="btn-small" disabled={index === count - 1} onClick={() => onMove(index, index + 1, 'down')}>
        {t('action.moveDown')}
      </Button>
      <Button className="btn-small" variant="danger" disabled={!canRemove} onClick={onRemove}>
        {removeLabel}
      </Button>
    </div>
  );
}
