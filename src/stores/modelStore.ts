// The loaded model: its summary, graph view and layout, whether a load is under way, and the last
// error. Opening goes through the engine worker (parsing never happens on this thread); a file
// that fails to open leaves the loaded model exactly as it was.
import * as Comlink from 'comlink';
import { create } from 'zustand';
import type { ModelSummary } from '../core/graph/summary';
import type { GraphView } from '../core/graph/viewModel';
import { layoutGraphView, type NodePositions } from '../graphView/layoutGraph';
import type { OpenedFile, UserFacingError } from '../../workers/protocol';
import { useRuntimeStore } from './runtimeStore';
import { useUiStore } from './uiStore';
import { engineWorker } from './workerClients';

import { DEFAULT_SAMPLE_ID, restoreSampleCard, sampleFileName, type SampleCard } from './sampleCatalog';

export interface LoadedModel {
  summary: ModelSummary;
  view: GraphView;
  positions: NodePositions;
  /**
   * The model as one self-contained .onnx (external data inlined): what pipeline runs start from.
   * Kept on this thread because each run hands a copy to its own workers.
   */
  bytes: Uint8Array;
  /** Distinguishes two loads of the same file, so views reset on every load. */
  loadId: number;
}

export interface ModelState {
  model: LoadedModel | null;
  loading: boolean;
  error: UserFacingError | null;
  /** The model card when the open model is a bundled sample. */
  sampleCard: SampleCard | null;
  openFiles(files: readonly File[]): Promise<void>;
  openBuffers(files: OpenedFile[]): Promise<void>;
  openSample(id?: string): Promise<void>;
  dismissError(): void;
}

let loadGeneration = 0;

function unexpected(fileName: string, error: unknown): UserFacingError {
  const detail = error instanceof Error ? error.message : String(error);
  return { fileName, problem: 'internal', message: `${fileName}: could not be opened (${detail})` };
}

export const useModelStore = create<ModelState>()((set, get) => ({
  model: null,
  loading: false,
  error: null,
  sampleCard: null,

  async openFiles(files) {
    if (files.length === 0) return;
    // Loading starts now, not once the files are read, so the view never looks settled in between.
    set({ loading: true });
    let buffers: OpenedFile[];
    try {
      buffers = await Promise.all(files.map(async (file) => ({ name: file.name, bytes: await file.arrayBuffer() })));
    } catch (error) {
      set({ loading: false, error: unexpected(files[0]!.name, error) });
      return;
    }
    await get().openBuffers(buffers);
  },

  async openBuffers(files) {
    const generation = ++loadGeneration;
    const fileName = files.find((f) => f.name.toLowerCase().endsWith('.onnx'))?.name ?? files[0]?.name ?? '';
    set({ loading: true, error: null });
    try {
      const { remote, crashed } = engineWorker();
      const result = await Promise.race([remote.openModel(Comlink.transfer(files, files.map((f) => f.bytes))), crashed]);
      if (generation !== loadGeneration) return;
      if (!result.ok) {
        set({ loading: false, error: result.error });
        return;
      }
      const { summary, view, runtimeBytes } = result.value;
      const positions = await layoutGraphView(view);
      if (generation !== loadGeneration) return;
      useUiStore.getState().clearSelection();
      const bytes = new Uint8Array(runtimeBytes);
      set({ model: { summary, view, positions, bytes, loadId: generation }, loading: false, error: null, sampleCard: null });
      // The probe competes for cores with the first render of the graph; let the render go first.
      // It gets a copy: the buffer is transferred to the eval worker, and `bytes` must stay usable.
      requestAnimationFrame(() => setTimeout(() => void useRuntimeStore.getState().probe(runtimeBytes.slice(0), summary.fileName), 50));
    } catch (error) {
      if (generation === loadGeneration) set({ loading: false, error: unexpected(fileName, error) });
    }
  },

  async openSample(id = DEFAULT_SAMPLE_ID) {
    const fileName = sampleFileName(id);
    const base = `${import.meta.env.BASE_URL}samples/`;
    try {
      const response = await fetch(`${base}${fileName}`);
      // A dev server answers unknown paths with the app's HTML, which must not be parsed as a model.
      const type = response.headers.get('content-type') ?? '';
      if (!response.ok || type.includes('text/html')) throw new Error(`HTTP ${response.status}${response.ok ? ', not a model file' : ''}`);
      const bytes = await response.arrayBuffer();
      // The card is optional decoration: a sample without one still opens.
      const card = await fetch(`${base}${id}.json`)
        .then((r) => (r.ok ? r.json() : null))
        .then(restoreSampleCard)
        .catch(() => null);
      await get().openBuffers([{ name: fileName, bytes }]);
      if (get().model?.summary.fileName === fileName && !get().error) set({ sampleCard: card });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      set({ error: { fileName, problem: 'sample-missing', message: `${fileName}: the bundled sample could not be loaded (${detail})` } });
    }
  },

  dismissError() {
    set({ error: null });
  },
}));
