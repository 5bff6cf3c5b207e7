// The configurations of the pass-quality table (issue #4's "Quality on the bundled samples"), with
// the bound each must meet. A configuration is a chain of blocks applied in order, as a pipeline
// would; bounds compare with the float32 sample measured in the same run.

export interface QualityBound {
  /** Largest accuracy drop allowed, in points. */
  maxDropPoints?: number;
  /** Largest serialized size, as a fraction of the float32 file. */
  maxSizeFraction?: number;
  /** Largest gzip size, as a fraction of the float32 file's gzip size. */
  maxGzipFraction?: number;
  /** Largest parameter count, as a fraction of the float32 model's. */
  maxParamsFraction?: number;
}

export interface QualityConfiguration {
  id: string;
  label: string;
  steps: { type: string; params: Record<string, unknown> }[];
  bound: QualityBound;
  /** Samples it applies to; all when absent. */
  samples?: readonly string[];
  /** Needs calibration data (static activations). */
  calibrates?: boolean;
}

const CHANNEL_PRUNED_SAMPLES = ['fashion-cnn', 'fashion-mobilenet'];

export const QUALITY_CONFIGURATIONS: readonly QualityConfiguration[] = [
  { id: 'int8-channel', label: 'int8 per-channel weights', steps: [{ type: 'quantize', params: { bits: 8, granularity: 'channel' } }], bound: { maxDropPoints: 0.5, maxSizeFraction: 0.27 } },
  {
    id: 'int8-static',
    label: 'int8 weights + activations (static, minmax, 256 train images)',
    steps: [{ type: 'quantize', params: { bits: 8, granularity: 'channel', activations: 'static', calibration: 'minmax', calibrationSamples: 256 } }],
    bound: { maxDropPoints: 1 },
    calibrates: true,
  },
  { id: 'int4-g32', label: 'int4 groups of 32', steps: [{ type: 'quantize', params: { bits: 4, granularity: 'group', groupSize: 32 } }], bound: { maxDropPoints: 2, maxSizeFraction: 0.16 } },
  {
    id: 'prune-50',
    label: '50 % unstructured magnitude, global threshold',
    steps: [{ type: 'prune', params: { sparsity: 0.5, pattern: 'unstructured', scope: 'global' } }],
    bound: { maxDropPoints: 1.5, maxGzipFraction: 0.6 },
  },
  // The same sparsity imposed on every layer alike: the small first convolution loses half of its
  // few weights, which is why the global threshold is the one that meets the bound.
  { id: 'prune-50-layer', label: '50 % unstructured magnitude, per layer', steps: [{ type: 'prune', params: { sparsity: 0.5, pattern: 'unstructured', scope: 'layer' } }], bound: {} },
  {
    id: 'channel-30',
    label: '30 % channel pruning (no fine-tuning)',
    steps: [{ type: 'prune', params: { sparsity: 0.3, pattern: 'channel', criterion: 'l1' } }],
    bound: { maxParamsFraction: 0.75 },
    samples: CHANNEL_PRUNED_SAMPLES,
  },
  {
    id: 'deep-compression',
    label: 'prune 50 % + int4 g32 + gzip (Deep Compression style)',
    steps: [
      { type: 'prune', params: { sparsity: 0.5, pattern: 'unstructured', scope: 'global' } },
      { type: 'quantize', params: { bits: 4, granularity: 'group', groupSize: 32 } },
    ],
    bound: {},
  },
  { id: 'float16', label: 'float16 weights', steps: [{ type: 'quantize', params: { bits: 16 } }], bound: {} },
  { id: '2:4', label: '2:4 semi-structured', steps: [{ type: 'prune', params: { pattern: '2:4' } }], bound: {} },
  { id: 'lowrank-50', label: 'low-rank, half rank', steps: [{ type: 'lowrank', params: { rank: 0.5 } }], bound: {} },
  { id: 'cluster-16', label: 'k-means clusters 16', steps: [{ type: 'cluster', params: { clusters: 16 } }], bound: {} },
  { id: 'foldbn', label: 'fold BatchNorm', steps: [{ type: 'foldbn', params: {} }], bound: {} },
];
