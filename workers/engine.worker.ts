// The engine worker: opens models off the main thread and keeps the open one for later passes.
// Thin on purpose: the work is in openModelFiles and src/core.
import * as Comlink from 'comlink';
import type { OpenedModel } from '../src/core/graph/openModel';
import { openModelFiles } from './openModelFiles';
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
};

Comlink.expose(api, self);
