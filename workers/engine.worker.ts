// The engine worker: opens models off the main thread, and runs the pipeline's passes on models it
// holds by key (the engine half of src/app/pipeline/workerServices.ts). Thin on purpose: the work is
// in openModelFiles, pipeline/ and src/core.
import * as Comlink from 'comlink';
import type { OpenedModel } from '../src/core/graph/openModel';
import { openModelFiles } from './openModelFiles';
import { createEnginePipelineApi } from './pipeline/pipelineApis';
import type { EngineApi } from './protocol';

/** The model last opened successfully; a file that fails to open never replaces it. */
let current: OpenedModel | null = null;

const api: EngineApi = {
  async openModel(files) {
    const { opened, ...result } = openModelFiles(files);
    if (!result.ok) return result;
    current = opened ?? current;
    return Comlink.transfer(result, [result.value.runtimeBytes]);
  },
  ...createEnginePipelineApi(),
};

Comlink.expose(api, self);
