// Ctrl/Cmd+Enter runs the pipeline from anywhere in the studio, as in a notebook. Only starts a run:
// pressing it again while one is under way does nothing (Cancel is a deliberate click).
import { useEffect } from 'react';
import { useRunStore } from '../stores/runStore';

export function useRunShortcut(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || event.repeat) return;
      event.preventDefault();
      void useRunStore.getState().run();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
