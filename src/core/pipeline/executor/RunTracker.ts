// The state of every variant during one run, and the events that report it. Every status change
// goes through here, so the variant events, the node summaries and the final outcomes never
// disagree: a variant that fails takes its descendants with it (skipped, naming it), and a
// settled variant never changes again.
import type { VariantMetrics } from '../../results/resultsContract.js';
import type { PlannedVariant } from '../planVariants.js';
import type { NodeStatus, PipelineEvent, VariantEvent, VariantOutcome, VariantStage } from './PipelineEvent.js';
import type { ModelSizes } from './PipelineServices.js';

type Settled = VariantOutcome['status'];

interface VariantState {
  variant: PlannedVariant;
  status: 'queued' | 'running' | 'built' | Settled;
  key: string | null;
  metrics: VariantMetrics | null;
  message: string | null;
  cached: boolean;
  /** Progress within the whole variant, 0–1 (build and evaluation halves when there is data). */
  fraction: number;
}

const SETTLED = new Set<string>(['done', 'failed', 'skipped', 'cancelled']);

export class RunTracker {
  private readonly states = new Map<string, VariantState>();
  private readonly childrenOf = new Map<string, string[]>();
  private readonly variantsOfNode = new Map<string, string[]>();

  constructor(
    variants: readonly PlannedVariant[],
    private readonly emit: (event: PipelineEvent) => void,
    /** Whether variants have an evaluation stage (the run has data). */
    private readonly evaluates: boolean,
  ) {
    for (const variant of variants) {
      this.states.set(variant.id, { variant, status: 'queued', key: null, metrics: null, message: null, cached: false, fraction: 0 });
      if (variant.parentId !== null) this.childrenOf.set(variant.parentId, [...(this.childrenOf.get(variant.parentId) ?? []), variant.id]);
      this.variantsOfNode.set(variant.nodeId, [...(this.variantsOfNode.get(variant.nodeId) ?? []), variant.id]);
    }
  }

  /** Announces every variant and node as queued. */
  start(): void {
    for (const state of this.states.values()) this.emitVariant(state, { status: 'queued' });
    for (const nodeId of this.variantsOfNode.keys()) this.emitNode(nodeId);
  }

  isSettled(variantId: string): boolean {
    return SETTLED.has(this.state(variantId).status);
  }

  statusOf(variantId: string): VariantState['status'] {
    return this.state(variantId).status;
  }

  setKey(variantId: string, key: string): void {
    this.state(variantId).key = key;
  }

  progress(variantId: string, stage: VariantStage, fraction: number, message?: string): void {
    const state = this.state(variantId);
    if (SETTLED.has(state.status)) return;
    const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
    state.status = 'running';
    state.fraction = this.evaluates ? (stage === 'build' ? clamped / 2 : 0.5 + clamped / 2) : clamped;
    this.emitVariant(state, message === undefined ? { status: 'running', stage, fraction: clamped } : { status: 'running', stage, fraction: clamped, message });
    this.emitNode(state.variant.nodeId);
  }

  built(variantId: string, sizes: ModelSizes, cached: boolean): void {
    const state = this.state(variantId);
    if (SETTLED.has(state.status)) return;
    state.status = 'built';
    state.fraction = this.evaluates ? 0.5 : 1;
    this.emitVariant(state, { status: 'built', sizes, cached });
    this.emitNode(state.variant.nodeId);
  }

  done(variantId: string, metrics: VariantMetrics, cached: boolean): void {
    const state = this.state(variantId);
    if (SETTLED.has(state.status)) return;
    Object.assign(state, { status: 'done', metrics, cached, fraction: 1 });
    this.emitVariant(state, { status: 'done', metrics, cached });
    this.emitNode(state.variant.nodeId);
  }

  /** Marks the variant failed and every descendant not yet settled skipped, naming it. */
  fail(variantId: string, message: string): void {
    const state = this.state(variantId);
    if (SETTLED.has(state.status)) return;
    Object.assign(state, { status: 'failed', message });
    this.emitVariant(state, { status: 'failed', message });
    this.emitNode(state.variant.nodeId);
    this.skipDescendants(variantId, `its input '${variantId}' failed`);
  }

  skip(variantId: string, reason: string): void {
    const state = this.state(variantId);
    if (SETTLED.has(state.status)) return;
    Object.assign(state, { status: 'skipped', message: reason });
    this.emitVariant(state, { status: 'skipped', reason });
    this.emitNode(state.variant.nodeId);
  }

  skipDescendants(variantId: string, reason: string): void {
    for (const child of this.childrenOf.get(variantId) ?? []) {
      this.skip(child, reason);
      this.skipDescendants(child, reason);
    }
  }

  /** Every variant not settled yet ends cancelled. */
  cancelRemaining(): void {
    for (const state of this.states.values()) {
      if (SETTLED.has(state.status)) continue;
      state.status = 'cancelled';
      this.emitVariant(state, { status: 'cancelled' });
      this.emitNode(state.variant.nodeId);
    }
  }

  /** Every variant not settled yet fails with `message` (the run cannot go on). */
  failRemaining(message: string): void {
    for (const state of this.states.values()) if (!SETTLED.has(state.status)) this.fail(state.variant.id, message);
  }

  outcomes(): VariantOutcome[] {
    return [...this.states.values()].map((state) => ({
      variant: state.variant,
      // A run returns only after every variant settled; 'cancelled' covers any left over by a bug.
      status: SETTLED.has(state.status) ? (state.status as Settled) : 'cancelled',
      key: state.key,
      metrics: state.metrics,
      message: state.message,
      cached: state.cached,
    }));
  }

  private state(variantId: string): VariantState {
    const state = this.states.get(variantId);
    if (!state) throw new Error(`RunTracker: no variant '${variantId}' in this plan`);
    return state;
  }

  private emitVariant(state: VariantState, change: DistributiveOmit<VariantEvent, 'type' | 'variantId' | 'nodeId'>): void {
    this.emit({ type: 'variant', variantId: state.variant.id, nodeId: state.variant.nodeId, ...change } as VariantEvent);
  }

  private emitNode(nodeId: string): void {
    const states = (this.variantsOfNode.get(nodeId) ?? []).map((id) => this.state(id));
    const count = (status: string) => states.filter((state) => state.status === status).length;
    const variants = { total: states.length, done: count('done'), failed: count('failed'), skipped: count('skipped'), cancelled: count('cancelled') };
    const settled = variants.done + variants.failed + variants.skipped + variants.cancelled;
    let status: NodeStatus;
    if (settled === variants.total) {
      status = variants.failed > 0 ? 'failed' : variants.cancelled > 0 ? 'cancelled' : variants.done === 0 ? 'skipped' : 'done';
    } else {
      status = settled > 0 || states.some((state) => state.status !== 'queued') ? 'running' : 'queued';
    }
    const fraction = states.reduce((sum, state) => sum + (SETTLED.has(state.status) ? 1 : state.fraction), 0) / Math.max(1, states.length);
    this.emit({ type: 'node', nodeId, status, variants, fraction });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
