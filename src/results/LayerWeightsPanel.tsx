// The weight histogram's panel in the results: for the selected variant, a select listing the
// layers that hold weights and the chosen layer's weights before and after (charts/WeightHistogram).
// The models are read and binned in the weights worker (variantWeights.ts); this panel only says
// what it is waiting for, and why there is nothing to show (no compressed variant selected, a run
// whose models are gone).
import { memo, useEffect, useState } from 'react';
import type { NodeType } from '../core/pipeline/blockParams';
import { BLOCK_COLORS } from '../charts/blockColors';
import { WeightHistogram } from '../charts/WeightHistogram';
import type { LayerComparison } from '../../workers/weights.worker';
import { compareLayer, loadWeightPair, type WeightPair } from './variantWeights';

export interface LayerWeightsPanelProps {
  /** The selected variant; the model variant or none asks the user to pick one. */
  variantId: string;
  variantType: NodeType;
  /** Counts runs: the same variant id in a new run may be another model. */
  runId: number;
}

const BINS = 80;

type Loaded<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; message: string };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const LayerWeightsPanel = memo(function LayerWeightsPanel({ variantId, variantType, runId }: LayerWeightsPanelProps) {
  const [pair, setPair] = useState<Loaded<WeightPair>>({ state: 'loading' });
  const [layer, setLayer] = useState<string | null>(null);
  const [comparison, setComparison] = useState<Loaded<LayerComparison>>({ state: 'loading' });

  useEffect(() => {
    let current = true;
    setPair({ state: 'loading' });
    loadWeightPair(variantId).then(
      (value) => {
        if (!current) return;
        setPair({ state: 'ready', value });
        // Keep the layer the user chose while they go through the variants.
        setLayer((chosen) => (chosen !== null && value.layers.some((entry) => entry.name === chosen) ? chosen : (value.layers[0]?.name ?? null)));
      },
      (error: unknown) => current && setPair({ state: 'failed', message: messageOf(error) }),
    );
    return () => {
      current = false;
    };
  }, [variantId, runId]);

  const ready = pair.state === 'ready' ? pair.value : null;
  useEffect(() => {
    if (!ready || layer === null) return;
    let current = true;
    setComparison({ state: 'loading' });
    compareLayer(ready, layer, BINS).then(
      (value) => current && setComparison({ state: 'ready', value }),
      (error: unknown) => current && setComparison({ state: 'failed', message: messageOf(error) }),
    );
    return () => {
      current = false;
    };
  }, [ready, layer]);

  return (
    <section className="layer-weights" data-testid="layer-weights" data-variant-id={variantId} data-state={pair.state === 'ready' ? comparison.state : pair.state} aria-label="Weights of a layer, original and variant">
      <header className="layer-weights-header">
        <strong className="layer-weights-title">Weights</strong>
        {ready && ready.layers.length > 0 && (
          <label className="layer-weights-choice">
            <span>layer</span>
            <select data-testid="weight-layer-select" value={layer ?? ''} onChange={(event) => setLayer(event.target.value)}>
              {ready.layers.map((entry) => (
                <option key={entry.name} value={entry.name}>
                  {entry.name} — {entry.opType}, {entry.count.toLocaleString('en-US')}
                </option>
              ))}
            </select>
          </label>
        )}
      </header>
      {pair.state === 'loading' && <p className="layer-weights-note">Reading the models…</p>}
      {pair.state === 'failed' && (
        <p className="layer-weights-note is-problem" data-testid="layer-weights-problem">
          The weights of {variantId} cannot be shown: {pair.message}
        </p>
      )}
      {ready && ready.layers.length === 0 && <p className="layer-weights-note">The model has no layers that hold weights.</p>}
      {ready && comparison.state === 'failed' && (
        <p className="layer-weights-note is-problem" data-testid="layer-weights-problem">
          Layer {layer}: {comparison.message}
        </p>
      )}
      {ready && comparison.state === 'ready' && <WeightHistogram comparison={comparison.value} variantId={variantId} variantColor={BLOCK_COLORS[variantType]} />}
      {ready && comparison.state === 'loading' && <p className="layer-weights-note">Binning {layer}…</p>}
    </section>
  );
});
