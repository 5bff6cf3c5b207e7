// Running the pipeline: Run and Cancel, the Quick setting, and why a run could not start. A run
// takes the pipeline (pipelineStore) and the open model's bytes (modelStore), drives the executor
// on the studio's pipeline workers, and hands every event to resultsStore.applyEvent, which is
// where the run's progress, points and per-node status live. This store only knows whether a run
// is under way.
//
// The session keeps one WorkerServices (an engine and an eval worker, app/pipeline/workerServices.ts)
// and one PipelineCache for its whole life, so a rerun reuses what an earlier run built and measured:
// editing a downstream block reruns only that block. The data is sent to the workers only when it
// changes (dataset, Quick, backend), since loading a test split is the slow part of starting.
//
// Training blocks (distill, finetune): their live curves go to trainingStore (every event is handed
// to it too), and "Stop & keep best" (stopTraining) reaches the running block through the run's
// TrainingStops — the block ends with its best checkpoint, unlike Cancel, which stops the run.
import { create } from 'zustand';
import { createWorkerServices, type PipelineData, type WorkerServices } from '../app/pipeline/workerServices';
import { PipelineCache } from '../core/pipeline/executor/PipelineCache';
import type { PipelineEvent } from '../core/pipeline/executor/PipelineEvent';
import { PipelinePlanError, runPipeline } from '../core/pipeline/executor/runPipeline';
import { TrainingStops } from '../core/pipeline/executor/TrainingStops';
import type { PipelineSpec, ResourceRef } from '../core/pipeline/pipelineSpec';
import { planVariants } from '../core/pipeline/planVariants';
import type { EvaluationSettings } from '../../workers/protocol';
import { useModelStore } from './modelStore';
import { namesModel, openModelRef, usePipelineStore } from './pipelineStore';
import { useResultsStore } from './resultsStore';
import { useRuntimeStore } from './runtimeStore';
import { useTrainingStore } from './trainingStore';

/** idle: nothing running; starting: checking and loading the data; running: the executor works; cancelling: told to stop. */
export type RunPhase = 'idle' | 'starting' | 'running' | 'cancelling';

/** What a run evaluates on, as the studio can give it to the workers. */
export interface RunData {
  /** null: no data, size figures only. */
  data: PipelineData | null;
  /** Why there is no data, for the panel; null when there is. */
  sizeOnlyReason: string | null;
}

export interface RunState {
  phase: RunPhase;
  /** Evaluate on the fixed quick subset instead of the whole test split. */
  quick: boolean;
  /** Why the last run could not start or stopped, worded for the user; null when none. */
  error: string | null;
  /**
   * The pipeline document of the run the results show (the same object as pipelineStore's while
   * it is unchanged), so node badges are shown only for the pipeline they belong to.
   */
  ranPipeline: PipelineSpec | null;
  setQuick(quick: boolean): void;
  /** Starts a run of the current pipeline on the open model; does nothing while one is under way. */
  run(): Promise<void>;
  /** Stops the run: the call in flight is cancelled inside its worker; finished variants stay. */
  cancel(): void;
  /**
   * "Stop & keep best": the training block `variantId` (distill, finetune) ends its training at the
   * next step and keeps its best checkpoint so far as its model; the run goes on.
   */
  stopTraining(variantId: string): void;
  dismissError(): void;
}

function describeRef(ref: ResourceRef | undefined): string {
  if (!ref) return 'no model';
  return typeof ref.sample === 'string' ? `the sample '${ref.sample}'` : `your file '${String(ref.name)}'`;
}

/** The data the pipeline names, as the workers load it; a user's data file cannot be opened in the studio yet. */
export function runDataOf(pipeline: PipelineSpec): RunData {
  const dataset = pipeline.dataset;
  if (!dataset) return { data: null, sizeOnlyReason: 'The pipeline names no dataset: this run measures sizes only (no accuracy, agreement or SQNR).' };
  if (typeof dataset.sample === 'string') return { data: { kind: 'sample', id: dataset.sample }, sizeOnlyReason: null };
  return {
    data: null,
    sizeOnlyReason: `The pipeline's dataset is your file '${String(dataset.name)}', which the studio cannot open yet: this run measures sizes only. \`whittle run --data\` evaluates on it.`,
  };
}

interface Session {
  services: WorkerServices;
  cache: PipelineCache;
  /** What the workers were last given by setData; null when unknown (never sent, or it failed). */
  dataKey: string | null;
}

let session: Session | null = null;
let controller: AbortController | null = null;
let trainingStops: TrainingStops | null = null;

function sessionFor(modelFileName: string): Session {
  session ??= { services: createWorkerServices({ modelFileName }), cache: new PipelineCache(), dataKey: null };
  session.services.setModelFileName(modelFileName);
  return session;
}

/**
 * The .onnx bytes the session's engine worker holds under `key` (a model the runs built: every
 * variant stays held until the page closes), for views that read a variant's file, such as the
 * weight histogram; null before the first run.
 */
export function heldModelBytes(key: string): Promise<Uint8Array> | null {
  return session ? session.services.modelBytes(key) : null;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'PassCancelledError');
}

/** Gives the workers the run's data unless they already hold exactly that; the failure as a message. */
async function sendData(current: Session, data: PipelineData | null, settings: EvaluationSettings): Promise<string | null> {
  const key = JSON.stringify({ data, settings });
  if (current.dataKey === key) return null;
  current.dataKey = null;
  const described = await current.services.setData(data, settings);
  if (described && !described.ok) return `The data could not be loaded: ${described.error.message}`;
  current.dataKey = key;
  return null;
}

export const useRunStore = create<RunState>()((set, get) => ({
  phase: 'idle',
  quick: false,
  error: null,
  ranPipeline: null,

  setQuick(quick) {
    set({ quick });
  },

  async run() {
    if (get().phase !== 'idle') return;
    const { pipeline } = usePipelineStore.getState();
    const modelState = useModelStore.getState();
    const model = modelState.model;
    if (!model) {
      set({ error: 'Open a model (or a sample) first: the pipeline runs on the open model.' });
      return;
    }
    const plan = planVariants(pipeline);
    if (!plan.ok) {
      set({ error: `The pipeline cannot run: ${plan.errors.join('; ')}` });
      return;
    }
    set({ phase: 'starting', error: null });
    const abort = new AbortController();
    controller = abort;
    try {
      const open = await openModelRef(modelState);
      if (open && !namesModel(pipeline.model, open)) {
        set({ error: `This pipeline is for ${describeRef(pipeline.model)}, but '${model.summary.fileName}' is open: open that model to run it.` });
        return;
      }
      const current = sessionFor(model.summary.fileName);
      const { data } = runDataOf(pipeline);
      const settings: EvaluationSettings = { quick: get().quick, backend: useRuntimeStore.getState().requestedBackend };
      const dataProblem = await sendData(current, data, settings);
      if (dataProblem !== null) {
        set({ error: dataProblem });
        return;
      }
      if (abort.signal.aborted) return;
      set({ phase: 'running', ranPipeline: pipeline });
      const applyEvent = useResultsStore.getState().applyEvent;
      const applyTrainingEvent = useTrainingStore.getState().applyEvent;
      const stops = new TrainingStops();
      trainingStops = stops;
      const onEvent = (event: PipelineEvent) => {
        applyEvent(event);
        applyTrainingEvent(event);
      };
      await runPipeline(pipeline, { services: current.services, model: model.bytes, cache: current.cache, signal: abort.signal, onEvent, trainingStops: stops });
    } catch (error) {
      if (error instanceof PipelinePlanError) set({ error: `The pipeline cannot run: ${error.errors.join('; ')}` });
      else if (!isAbort(error)) set({ error: `The run stopped: ${errorText(error)}` });
    } finally {
      if (controller === abort) {
        controller = null;
        trainingStops = null;
      }
      set({ phase: 'idle' });
    }
  },

  cancel() {
    if (!controller || get().phase === 'idle') return;
    controller.abort();
    set({ phase: 'cancelling' });
  },

  stopTraining(variantId) {
    if (!trainingStops || get().phase !== 'running') return;
    trainingStops.request(variantId);
    useTrainingStore.getState().markStopRequested(variantId);
  },

  dismissError() {
    set({ error: null });
  },
}));
