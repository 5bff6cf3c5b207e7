// Undo and redo from the keyboard, anywhere in the studio except while typing (an input keeps its
// own undo): Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z and Ctrl+Y redo. Delete is React Flow's, on the
// canvas; Ctrl/Cmd+Enter (run) is useRunShortcut's.
import { useEffect } from 'react';
import { usePipelineStore } from '../stores/pipelineStore';

/** Whether the key goes to something the user is typing in. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}

export type HistoryKey = 'undo' | 'redo' | null;

/** Which history step a key press asks for. */
export function historyKeyOf(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): HistoryKey {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const key = event.key.toLowerCase();
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && event.ctrlKey && !event.shiftKey) return 'redo';
  return null;
}

export function useEditorShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const step = historyKeyOf(event);
      if (step === null || isTypingTarget(event.target)) return;
      event.preventDefault();
      const history = usePipelineStore.temporal.getState();
      if (step === 'undo') history.undo();
      else history.redo();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
