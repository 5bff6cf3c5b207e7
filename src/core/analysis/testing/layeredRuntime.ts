// Test-only AnalysisRuntime over a made-up model: named layers with a byte count and the accuracy
// points each loses when quantized alone at given bits. Several changed layers lose the sum of
// their drops times `compounding` (above 1: the estimate from layers measured alone is too
// hopeful, as on real models). Records every measurement and progress report.
import { PassError } from '../../passes/Pass.js';
import type { AnalysisLayer, AnalysisRuntime, AnalysisStep, Measurement } from '../AnalysisRuntime.js';

export interface MadeUpLayer {
  name: string;
  bytes: number;
  /** Points lost when quantized alone, by bits (bits not listed lose nothing). */
  drop: Partial<Record<number, number>>;
  /** Points lost when pruned alone. */
  pruneDrop?: number;
  /** The passes refuse this layer (a PassError). */
  refuse?: boolean;
}

export interface LayeredRuntime extends AnalysisRuntime {
  readonly measured: AnalysisStep[][];
  readonly progressReports: { fraction: number; message: string }[];
  readonly layers: AnalysisLayer[];
}

export function layeredRuntime(layers: readonly MadeUpLayer[], options: { compounding?: number; accuracy?: number | null; fixedBytes?: number } = {}): LayeredRuntime {
  const { compounding = 1, accuracy = 0.9, fixedBytes = 1_000 } = options;
  const measured: AnalysisStep[][] = [];
  const progressReports: { fraction: number; message: string }[] = [];
  const byName = new Map(layers.map((layer) => [layer.name, layer]));
  const inputSizeBytes = fixedBytes + layers.reduce((sum, layer) => sum + layer.bytes, 0);
  return {
    measured,
    progressReports,
    layers: layers.map((layer) => ({ name: layer.name, opType: 'Gemm', params: layer.bytes / 4 })),
    inputSizeBytes,
    inputAccuracy: async () => accuracy,
    progress: (fraction, message) => progressReports.push({ fraction, message }),
    async measure(steps): Promise<Measurement> {
      measured.push([...steps]);
      const bits = new Map<string, number>();
      const pruned = new Set<string>();
      for (const step of steps) {
        for (const name of step.params.layers ?? [...byName.keys()]) {
          const layer = byName.get(name);
          if (!layer) throw new PassError(step.type, `layers names '${name}', which is not a layer of this model`);
          if (layer.refuse) throw new PassError(step.type, `layer '${name}' cannot be changed`);
          if (step.type === 'quantize' && !bits.has(name)) bits.set(name, step.params.bits as number);
          if (step.type === 'prune') pruned.add(name);
        }
      }
      const drops = [...bits].map(([name, b]) => byName.get(name)!.drop[b] ?? 0).concat([...pruned].map((name) => byName.get(name)!.pruneDrop ?? 0));
      const loss = drops.reduce((sum, drop) => sum + drop, 0) * (drops.length > 1 ? compounding : 1);
      const sizeBytes = fixedBytes + layers.reduce((sum, layer) => sum + Math.round((layer.bytes * (bits.get(layer.name) ?? 32)) / 32), 0);
      return { sizeBytes, accuracy: accuracy === null ? null : accuracy - loss / 100, agreement: 1 - loss / 200, sqnrDb: 40 - loss };
    },
  };
}
