// The sensitivity bars on random analyses (small drop grids, so ties and negative drops are common,
// some rows without a drop) and on a hand-worked MLP analysis; which analysis the panel shows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AutoSearchResult, SensitivityAnalysis, SensitivityRow } from '../core/analysis/BlockAnalysis';
import { linearTicks } from './chartAxes';
import { dropAxis, magnitudeColor, OP_TYPE_PALETTE, sensitivityBars, sensitivityToShow } from './sensitivityBars';

function row(layer: string, opType: string, drop: number | null): SensitivityRow {
  return { layer, opType, params: 100, drop, accuracy: drop === null ? null : 0.9 - drop / 100, agreement: 0.95, sqnrDb: 20, sizeBytes: 1000 };
}

function analysis(layers: SensitivityRow[], skipped: SensitivityAnalysis['skipped'] = []): SensitivityAnalysis {
  return { kind: 'sensitivity', mode: 'quantize', bits: 4, input: { variantId: 'model', accuracy: 0.9, sizeBytes: 5000 }, layers, skipped };
}

const rows = fc
  .array(fc.record({ opType: fc.constantFrom('Gemm', 'Conv', 'MatMul'), drop: fc.option(fc.integer({ min: -3, max: 6 }), { freq: 5 }) }), { maxLength: 12 })
  .map((drawn) => drawn.map((r, index) => row(`layer${index}`, r.opType, r.drop)));

describe('sensitivityBars', () => {
  it('keeps one bar per row with a drop and lists the others, in graph order', () => {
    fc.assert(
      fc.property(rows, (layers) => {
        const { bars, undropped } = sensitivityBars(analysis(layers), 'graph', 'opType');
        expect(bars.map((bar) => bar.layer)).toEqual(layers.filter((r) => r.drop !== null).map((r) => r.layer));
        expect(undropped.map((r) => r.layer)).toEqual(layers.filter((r) => r.drop === null).map((r) => r.layer));
        for (const bar of bars) expect(layers[bar.graphIndex]!.layer).toBe(bar.layer);
      }),
    );
  });

  it('sorted by drop: the same bars, largest drop first, ties in graph order', () => {
    fc.assert(
      fc.property(rows, (layers) => {
        const byGraph = sensitivityBars(analysis(layers), 'graph', 'opType').bars;
        const byDrop = sensitivityBars(analysis(layers), 'drop', 'opType').bars;
        expect(byDrop.map((bar) => bar.layer).sort()).toEqual(byGraph.map((bar) => bar.layer).sort());
        for (let i = 1; i < byDrop.length; i++) {
          const [before, after] = [byDrop[i - 1]!, byDrop[i]!];
          expect(before.drop > after.drop || (before.drop === after.drop && before.graphIndex < after.graphIndex)).toBe(true);
        }
      }),
    );
  });

  it('colours one op type one colour, and larger losses darker', () => {
    fc.assert(
      fc.property(rows, (layers) => {
        const shaped = sensitivityBars(analysis(layers), 'graph', 'opType');
        const legend = new Map(shaped.opTypes.map((entry) => [entry.opType, entry.color]));
        expect(shaped.opTypes.map((entry) => entry.opType)).toEqual([...new Set(layers.map((r) => r.opType))]);
        for (const bar of shaped.bars) expect(bar.color).toBe(legend.get(bar.opType));

        const { bars } = sensitivityBars(analysis(layers), 'graph', 'magnitude');
        const lightness = (color: string) => Number(/(\d+)%\)$/.exec(color)![1]);
        const losses = bars.filter((bar) => bar.drop >= 0).sort((a, b) => a.drop - b.drop);
        for (let i = 1; i < losses.length; i++) expect(lightness(losses[i]!.color)).toBeLessThanOrEqual(lightness(losses[i - 1]!.color));
        for (const bar of bars.filter((b) => b.drop < 0)) expect(bar.color).toBe(magnitudeColor(-1, 1));
      }),
    );
  });

  it('shapes an MLP analysis by hand', () => {
    const mlp = analysis([row('fc1', 'Gemm', 0.4), row('fc2', 'Gemm', 1.6), row('fc3', 'Gemm', -0.2)], [{ layer: 'norm', reason: 'no weights' }]);
    const byDrop = sensitivityBars(mlp, 'drop', 'opType');
    expect(byDrop.bars.map((bar) => [bar.layer, bar.drop, bar.graphIndex])).toEqual([
      ['fc2', 1.6, 1],
      ['fc1', 0.4, 0],
      ['fc3', -0.2, 2],
    ]);
    expect(byDrop.opTypes).toEqual([{ opType: 'Gemm', color: OP_TYPE_PALETTE[0] }]);
    const byMagnitude = sensitivityBars(mlp, 'graph', 'magnitude').bars.map((bar) => bar.color);
    expect(byMagnitude).toEqual([magnitudeColor(0.4, 1.6), 'hsl(4, 70%, 38%)', '#2f9e5a']);
  });
});

describe('sensitivityToShow', () => {
  const first = analysis([row('fc1', 'Gemm', 1)]);
  const second = analysis([row('fc1', 'Gemm', 2)]);
  const auto = { kind: 'auto' } as AutoSearchResult;

  it("shows the selected variant's analysis, else the latest sensitivity analysis", () => {
    const analyses = { 's[bits=4]': first, a: auto, 's[bits=2]': second };
    expect(sensitivityToShow(analyses, 's[bits=4]')).toEqual({ variantId: 's[bits=4]', analysis: first });
    expect(sensitivityToShow(analyses, null)).toEqual({ variantId: 's[bits=2]', analysis: second });
    expect(sensitivityToShow(analyses, 'a')).toEqual({ variantId: 's[bits=2]', analysis: second });
    expect(sensitivityToShow({ a: auto }, null)).toBeNull();
    expect(sensitivityToShow({}, 'model')).toBeNull();
  });
});

describe('dropAxis', () => {
  it('spans zero and every drop, with ticks inside it that include zero', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -20, max: 60, noNaN: true }), { maxLength: 20 }), (drops) => {
        const { domain, ticks } = dropAxis(drops);
        // Within a billionth of a tick step: the rounding's slack, far below a pixel.
        expect(domain[0]).toBeLessThanOrEqual(Math.min(0, ...drops) + 1e-9);
        expect(domain[1]).toBeGreaterThanOrEqual(Math.max(0, ...drops) - 1e-9);
        expect(domain[1]).toBeGreaterThan(domain[0]);
        expect(ticks).toContain(0);
        for (const tick of ticks) expect(tick >= domain[0] && tick <= domain[1]).toBe(true);
      }),
    );
  });

  it('rounds out to tick steps by hand', () => {
    expect(dropAxis([0.4, 1.6, -0.2])).toEqual({ domain: [-0.5, 2], ticks: [-0.5, 0, 0.5, 1, 1.5, 2] });
    expect(dropAxis([0, 0])).toEqual({ domain: [0, 0.1], ticks: [0, 0.02, 0.04, 0.06, 0.08, 0.1] });
    expect(dropAxis([]).domain).toEqual([0, 1]);
    expect(dropAxis([])).toEqual({ domain: [0, 1], ticks: linearTicks(0, 1) });
  });
});
