// The pipeline the pipeline benchmarks run (issue 5's "12-variant sweep on fashion-cnn over the full
// test split"): quantize bits 8, 4, 3, 2 × granularity tensor, channel, group — 12 variants plus
// the model itself — on the bundled Fashion-MNIST test split (10,000 images).
import type { PipelineSpec } from '../src/core/pipeline/pipelineSpec.js';

export const SWEEP_FILE_NAME = 'fashion-cnn-12-variants.whittle.json';

export const PIPELINE_SWEEP = {
  type: 'whittle-pipeline',
  version: 1,
  model: { sample: 'fashion-cnn' },
  dataset: { sample: 'fashion-mnist' },
  nodes: [
    { id: 'model', type: 'model', params: {} },
    { id: 'q', type: 'quantize', params: { bits: [8, 4, 3, 2], granularity: ['tensor', 'channel', 'group'] } },
  ],
  edges: [{ source: 'model', target: 'q' }],
} as unknown as PipelineSpec;

/** Compressed variants (the model variant is evaluated too, and is the first point). */
export const SWEEP_VARIANTS = 12;
