// Colouring by metric: each metric on a small hand-made layer list (values, texts, neutral layers,
// the legend's scale, the reason when nothing has a value) and properties of the scale positions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SensitivityAnalysis } from '../../core/analysis/BlockAnalysis';
import type { GraphViewNode } from '../../core/graph/viewModel';
import type { PipelineSpec } from '../../core/pipeline/pipelineSpec';
import { restorePipeline } from '../../core/pipeline/restorePipeline';
import { pipelineOf } from '../../core/pipeline/testPipelines';
import { BIT_STEPS, layerColoring, type ColoringInputs, type MetricScale } from './layerMetrics';
import { metricColorCss, mixHex, scalePosition } from './metricScale';

const layer = (id: string, opType: string, params: number, name = id): GraphViewNode => ({ id, kind: 'op', opType, domain: '', name, isLayer: true, params });
const LAYERS = [layer('n0', 'Conv', 100, 'conv1'), layer('n1', 'BatchNormalization', 20, 'bn1'), layer('n2', 'Conv', 300, 'conv2'), layer('n3', 'Gemm', 600, '')];

function restored(pipeline: PipelineSpec): PipelineSpec {
  const result = restorePipeline(pipeline);
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.pipeline;
}

const inputs = (pipeline: PipelineSpec, sensitivity: SensitivityAnalysis | null = null): ColoringInputs => ({ layers: LAYERS, totalParams: 1020, pipeline, sensitivity });

const analysis = (drops: Record<string, number | null>): SensitivityAnalysis => ({
  kind: 'sensitivity',
  mode: 'quantize',
  bits: 4,
  input: { variantId: 'model', accuracy: 0.9, sizeBytes: 1000 },
  layers: Object.entries(drops).map(([name, drop]) => ({ layer: name, opType: 'Conv', params: 1, drop, accuracy: null, agreement: null, sqnrDb: null, sizeBytes: 1 })),
  skipped: [],
});

describe('layerColoring', () => {
  it('colours by op category with no values', () => {
    expect(layerColoring('category', inputs(restored(pipelineOf([])))).values.size).toBe(0);
  });

  it('gives each layer its share of the parameters, on a 0–max ramp', () => {
    const coloring = layerColoring('params', inputs(restored(pipelineOf([]))));
    expect(coloring.values.get('n3')).toMatchObject({ text: '59 %' });
    expect(coloring.values.get('n3')!.value).toBeCloseTo(600 / 1020);
    expect(coloring.values.get('n1')!.text).toBe('2.0 %');
    expect(coloring.scale).toMatchObject({ kind: 'ramp', min: 0, minText: '0 %', maxText: '59 %' });
  });

  it('gives quantized layers their bits (a sweep or several blocks as a range), and leaves the rest neutral', () => {
    const pipeline = restored(
      pipelineOf(
        [
          { id: 'q', type: 'quantize', params: { bits: [8, 4], exclude: ['conv2'] } },
          { id: 'q2', type: 'quantize', params: { bits: 2, layers: ['n3'] } },
        ],
        [['model', 'q'], ['model', 'q2']],
      ),
    );
    const coloring = layerColoring('bits', inputs(pipeline));
    expect(coloring.values.get('n0')).toMatchObject({ value: 4, text: '4–8 bit' });
    expect(coloring.values.get('n3')).toMatchObject({ value: 2, text: '2–8 bit' });
    expect(coloring.values.get('n3')!.detail).toMatch(/by q, q2/);
    expect(coloring.values.has('n1')).toBe(false); // BatchNormalization: not quantized
    expect(coloring.values.has('n2')).toBe(false); // excluded
    expect(coloring.scale).toMatchObject({ kind: 'steps' });
  });

  it('gives pruned layers their sparsity and says why nothing is coloured without a prune block', () => {
    const pipeline = restored(pipelineOf([{ id: 'p', type: 'prune', params: { sparsity: 0.3, layers: ['conv1', 'conv2'], scope: 'global' } }]));
    const coloring = layerColoring('sparsity', inputs(pipeline));
    expect([...coloring.values.keys()]).toEqual(['n0', 'n2']);
    expect(coloring.values.get('n2')).toMatchObject({ value: 0.3, text: '30 %' });
    expect(coloring.values.get('n2')!.detail).toMatch(/global threshold/);
    const none = layerColoring('sparsity', inputs(restored(pipelineOf([{ id: 'q', type: 'quantize' }]))));
    expect(none.values.size).toBe(0);
    expect(none.emptyReason).toMatch(/No prune block/);
  });

  it('gives analysed layers their accuracy drop, by name, on a 0–largest-drop ramp', () => {
    const pipeline = restored(pipelineOf([]));
    const coloring = layerColoring('sensitivity', inputs(pipeline, analysis({ conv1: 0.5, conv2: -0.2, n3: 2.25, bn1: null })));
    expect(coloring.values.get('n0')).toMatchObject({ value: 0.5, text: '0.50 pts' });
    expect(coloring.values.get('n2')!.text).toBe('−0.20 pts');
    expect(coloring.values.get('n3')!.detail).toMatch(/quantized alone to 4 bits/);
    expect(coloring.values.has('n1')).toBe(false);
    expect(coloring.scale).toMatchObject({ kind: 'ramp', min: 0, max: 2.25, maxText: '2.25 pts' });
    expect(layerColoring('sensitivity', inputs(pipeline)).emptyReason).toMatch(/Run a Sensitivity block/);
    expect(layerColoring('sensitivity', inputs(pipeline, analysis({ conv1: null }))).emptyReason).toMatch(/no labels/);
  });
});

const ramp: fc.Arbitrary<MetricScale> = fc
  .tuple(fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }))
  .map(([min, span]) => ({ kind: 'ramp', min, max: min + span, minText: '', maxText: '', unit: '' }));

describe('scale positions', () => {
  it('stay within 0–1 and grow with the value on a ramp', () => {
    fc.assert(
      fc.property(ramp, fc.double({ min: -300, max: 300, noNaN: true }), fc.double({ min: -300, max: 300, noNaN: true }), (scale, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const pa = scalePosition(scale, low);
        const pb = scalePosition(scale, high);
        expect(pa).toBeGreaterThanOrEqual(0);
        expect(pb).toBeLessThanOrEqual(1);
        expect(pa).toBeLessThanOrEqual(pb);
      }),
    );
  });

  it('put fewer bits hotter, 16 coolest and 2 hottest', () => {
    const scale: MetricScale = { kind: 'steps', steps: [...BIT_STEPS], unit: '' };
    const positions = [16, 8, 4, 3, 2].map((bits) => scalePosition(scale, bits));
    expect(positions[0]).toBe(0);
    expect(positions[4]).toBe(1);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('mix the ramp tokens', () => {
    expect(metricColorCss(0.456)).toBe('color-mix(in oklab, var(--metric-hot) 46%, var(--metric-cool))');
    expect(mixHex('#000000', '#ffffff', 0.5)).toBe('#808080');
    expect(mixHex('#fff', '#000', 0)).toBe('#ffffff');
    expect(mixHex('rgb(0,0,0)', '#fff', 1)).toBe('rgb(0,0,0)');
  });
});
