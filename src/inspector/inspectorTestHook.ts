// End-to-end tests select a block the way the canvas does, through the editor store, when they
// need to reach the inspector without the canvas. Offered only outside production builds or with
// `?testHooks` in the URL, as the results store's hook is.
import { useEditorStore } from '../stores/editorStore';

export interface InspectorTestHook {
  selectBlock(id: string | null): void;
}

declare global {
  interface Window {
    /** Only in development and tests, or with `?testHooks` in the URL. */
    __whittleInspector?: InspectorTestHook;
  }
}

export function installInspectorTestHook(): void {
  if (typeof window === 'undefined') return;
  const wanted = import.meta.env.MODE !== 'production' || new URLSearchParams(window.location.search).has('testHooks');
  if (wanted) window.__whittleInspector = { selectBlock: (id) => useEditorStore.getState().selectBlock(id) };
}
