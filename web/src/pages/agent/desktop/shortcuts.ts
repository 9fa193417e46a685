import { useEffect } from 'react';

import type { MessageId } from '../../../i18n/messages';

export type ShortcutAction = 'answer' | 'hangUp' | 'hold' | 'mute' | 'ready' | 'notReady' | 'help';

/** The desktop's keys: single letters, as in a mail client, never while typing in a field. */
export const SHORTCUTS: readonly { key: string; action: ShortcutAction; label: MessageId }[] = [
  { key: 'a', action: 'answer', label: 'agent.shortcuts.answer' },
  { key: 'x', action: 'hangUp', label: 'agent.shortcuts.hangUp' },
  { key: 'h', action: 'hold', label: 'agent.shortcuts.hold' },
  { key: 'm', action: 'mute', label: 'agent.shortcuts.mute' },
  { key: 'r', action: 'ready', label: 'agent.shortcuts.ready' },
  { key: 'n', action: 'notReady', label: 'agent.shortcuts.notReady' },
  { key: '?', action: 'help', label: 'agent.shortcuts.help' },
];

const NOT_TEXT = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color']);

/** Whether a key pressed on `target` is text being typed (a checkbox or a button is not). */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) return !NOT_TEXT.has(target.type);
  return target.isContentEditable || ['TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** The action a key press asks for, or null (modifiers, or a key typed into a field). */
export function shortcutOf(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): ShortcutAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  return SHORTCUTS.find((s) => s.key === key)?.action ?? null;
}

/** Runs `run(action)` for the desktop's keys while mounted. */
export function useShortcuts(run: (action: ShortcutAction) => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = shortcutOf(event);
      if (!action) return;
      event.preventDefault();
      run(action);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [run]);
}
