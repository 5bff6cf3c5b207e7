// Test-only PipelineServices that do no real work: a "model" is the list of steps that made it, its
// size shrinks with each block, and evaluation reads figures off the steps. Every call is logged,
// so tests can count what ran; hooks let a test crash a call, fail it, or hold it until released
// (to cancel mid-call), the way the worker-backed services of the studio can.
//
// With `layers` (for the analysing blocks), a model also knows the bits and pruning of each named
// layer: quantize and prune passes change the layers their `layers` param names (all without it),
// the file size is the layers' bytes at their bits, and the accuracy loses each changed layer's
// configured drop — summed, times `compounding` when several layers changed, so that an estimate
// from layers measured alone can be too hopeful, as it is on real models. `modelBytes` then gives
// the bytes that were put (a real .onnx in those tests), since a fake pass changes no structure.
//
// A training block (distill, finetune) "trains" for its `epochs` with FAKE_STEPS_PER_EPOCH steps
// each, reporting a point per step (validation accuracy on an epoch's last) through
// control.onTraining; a stop request (control.stopSignal) ends it before the next step, and its
// model then records that it stopped ('distill(stopped)').
import {
  ServiceCrashError,
  type DataDescription,
  type EvaluationFigures,
  type EvaluationRequest,
  type ModelReport,
  type PassRequest,
  type PipelineServices,
  type PutModelRequest,
  type ServiceCallControl,
  type ServiceName,
} from '../PipelineServices.js';

export type FakeCall =
  | { method: 'putModel'; key: string }
  | { method: 'runPass'; inputKey: string; outputKey: string; type: string; params: Record<string, unknown>; training?: PassRequest['training'] }
  | { method: 'evaluate'; key: string; reference: boolean; latency?: boolean }
  | { method: 'restart'; service: ServiceName };

/** What a hook may do with a call: let it run, crash the service, fail it, or hold it until `release`. */
export type CallHook = (call: FakeCall) => 'run' | 'crash' | { fail: string } | { holdUntil: Promise<void> };

/** A layer of the fake model: its float32 bytes, and the accuracy points it loses when changed alone. */
export interface FakeLayer {
  bytes: number;
  /** Points lost when quantized alone, by bits; bits not listed lose nothing. */
  quantizeDrop: Partial<Record<number, number>>;
  /** Points lost when pruned alone (at any sparsity). */
  pruneDrop?: number;
}

export interface FakeServicesOptions {
  layers?: Record<string, FakeLayer>;
  /** The drops of several changed layers combine as their sum times this (default 1). */
  compounding?: number;
}

interface FakeModel {
  steps: string[];
  sizeBytes: number;
  /** Layered mode: bits of each quantized layer, and the pruned layers. */
  bits: Record<string, number>;
  pruned: string[];
}

/** Steps in each epoch of a fake training block. */
export const FAKE_STEPS_PER_EPOCH = 2;

/** Bytes of a layered fake model outside its layers. */
const FIXED_BYTES = 10_000;

export class FakeServices implements PipelineServices {
  readonly calls: FakeCall[] = [];
  hook: CallHook = () => 'run';
  private readonly models = new Map<string, FakeModel>();
  private reference: string | null = null;
  private putBytes: Uint8Array | null = null;
  /** From an engine crash until its restart: what the evaluator asks of it fails as a crash too. */
  private engineDead = false;

  constructor(
    private readonly dataDescription: DataDescription | null = { key: 'fake-data', description: 'fake data: 100 test images' },
    private readonly options: FakeServicesOptions = {},
  ) {}

  /** Calls of one method, in order. */
  callsOf<M extends FakeCall['method']>(method: M): Extract<FakeCall, { method: M }>[] {
    return this.calls.filter((call): call is Extract<FakeCall, { method: M }> => call.method === method);
  }

  async putModel({ key, bytes }: PutModelRequest, control: ServiceCallControl): Promise<ModelReport> {
    await this.enter({ method: 'putModel', key }, 'engine', control);
    this.putBytes = bytes;
    const model: FakeModel = { steps: [], sizeBytes: 1_000_000, bits: {}, pruned: [] };
    if (this.options.layers) model.sizeBytes = this.layeredSize(model);
    this.models.set(key, model);
    return { key, sizes: this.sizes(model.sizeBytes), notes: [] };
  }

  async runPass(request: PassRequest, control: ServiceCallControl): Promise<ModelReport> {
    await this.enter({ method: 'runPass', ...request }, 'engine', control);
    const input = this.models.get(request.inputKey);
    if (!input) throw new Error(`fake engine: no model under ${request.inputKey}`);
    control.onProgress(0.5, `${request.type}: halfway`);
    if (control.signal.aborted) throw new DOMException('cancelled', 'AbortError');
    const stopped = request.type === 'distill' || request.type === 'finetune' ? await this.train(request, control) : false;
    control.onProgress(1);
    const step = stopped ? `${request.type}(stopped)` : request.type;
    const model = this.options.layers ? this.layeredPass(input, request) : { steps: [...input.steps, step], sizeBytes: Math.round(input.sizeBytes / 2), bits: {}, pruned: [] };
    this.models.set(request.outputKey, model);
    return { key: request.outputKey, sizes: this.sizes(model.sizeBytes), notes: stopped ? ['stopped early at your request'] : [] };
  }

  async evaluate({ key, reference, latency }: EvaluationRequest, control: ServiceCallControl): Promise<EvaluationFigures> {
    await this.enter({ method: 'evaluate', key, reference, ...(latency === undefined ? {} : { latency }) }, 'evaluator', control);
    const model = this.models.get(key);
    // In the studio the evaluator fetches the model from the engine worker: a dead engine rejects.
    if (!model && this.engineDead) throw new ServiceCrashError('engine', 'worker terminated');
    if (!model) throw new Error(`fake evaluator: no model under ${key}`);
    if (!reference && this.reference === null) throw new Error('fake evaluator: no reference held');
    if (reference) this.reference = key;
    control.onProgress(1);
    if (this.options.layers) {
      const loss = this.layeredLoss(model);
      const apart = reference ? 0 : Math.abs(loss - this.layeredLoss(this.models.get(this.reference!) ?? model));
      return { accuracy: 0.9 - loss / 100, agreement: reference ? null : 1 - apart / 200, sqnrDb: reference ? null : 40 - apart, latencyMs: latency === false ? null : 0.1 };
    }
    const accuracy = 0.9 - 0.01 * model.steps.length;
    return { accuracy, agreement: reference ? null : 1 - 0.01 * model.steps.length, sqnrDb: reference ? null : 40 - model.steps.length, latencyMs: latency === false ? null : 0.1 };
  }

  async modelBytes(key: string): Promise<Uint8Array> {
    const model = this.models.get(key);
    if (!model) throw new Error(`fake engine: no model under ${key}`);
    if (this.options.layers && this.putBytes) return this.putBytes;
    return new TextEncoder().encode(model.steps.join('>'));
  }

  async data(): Promise<DataDescription | null> {
    return this.dataDescription;
  }

  async restart(service: ServiceName): Promise<void> {
    this.calls.push({ method: 'restart', service });
    if (service === 'engine') {
      this.models.clear();
      this.engineDead = false;
    }
    else this.reference = null;
  }

  /** The keys of models held now. */
  heldKeys(): string[] {
    return [...this.models.keys()];
  }

  /** Reports the fake curve; true when a stop request ended it early. */
  private async train(request: PassRequest, control: ServiceCallControl): Promise<boolean> {
    const epochs = typeof request.params.epochs === 'number' ? request.params.epochs : 1;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      for (let step = 1; step <= FAKE_STEPS_PER_EPOCH; step++) {
        await Promise.resolve();
        if (control.signal.aborted) throw new DOMException('cancelled', 'AbortError');
        if (control.stopSignal?.aborted) return true;
        const done = (epoch - 1) * FAKE_STEPS_PER_EPOCH + step;
        const last = step === FAKE_STEPS_PER_EPOCH;
        control.onTraining?.({ epoch, epochs, step, stepsPerEpoch: FAKE_STEPS_PER_EPOCH, loss: 1 / done, ...(last && { validationAccuracy: 0.5 + epoch / 100 }) });
      }
    }
    return false;
  }

  private layeredPass(input: FakeModel, { type, params }: PassRequest): FakeModel {
    const layers = this.options.layers!;
    const named = params.layers as string[] | undefined;
    const unknown = (named ?? []).filter((name) => !(name in layers));
    if (unknown.length > 0) {
      const error = new Error(`${type}: layers names ${unknown.map((name) => `'${name}'`).join(', ')}, which are not layers of this model`);
      error.name = 'PassError';
      throw error;
    }
    const targets = (named ?? Object.keys(layers)).filter((name) => !((params.exclude as string[] | undefined) ?? []).includes(name));
    const model: FakeModel = { steps: [...input.steps, type], sizeBytes: 0, bits: { ...input.bits }, pruned: [...input.pruned] };
    for (const name of targets) {
      if (type === 'quantize' && model.bits[name] === undefined) model.bits[name] = params.bits as number;
      if (type === 'prune' && !model.pruned.includes(name)) model.pruned.push(name);
    }
    model.sizeBytes = type === 'quantize' || type === 'prune' ? this.layeredSize(model) : Math.round(input.sizeBytes / 2);
    return model;
  }

  private layeredSize(model: FakeModel): number {
    return Object.entries(this.options.layers!).reduce((sum, [name, layer]) => sum + Math.round((layer.bytes * (model.bits[name] ?? 32)) / 32), FIXED_BYTES);
  }

  /** Points lost by a layered model against the put one. */
  private layeredLoss(model: FakeModel): number {
    const drops = Object.entries(this.options.layers!).flatMap(([name, layer]) => [
      ...(model.bits[name] !== undefined ? [layer.quantizeDrop[model.bits[name]] ?? 0] : []),
      ...(model.pruned.includes(name) ? [layer.pruneDrop ?? 0] : []),
    ]);
    const sum = drops.reduce((total, drop) => total + drop, 0);
    const otherSteps = model.steps.filter((step) => step !== 'quantize' && step !== 'prune').length;
    return sum * (drops.length > 1 ? (this.options.compounding ?? 1) : 1) + otherSteps;
  }

  private sizes(sizeBytes: number) {
    return { sizeBytes, gzipBytes: Math.round(sizeBytes * 0.9), params: 250_000, nonzeroParams: 250_000 };
  }

  private async enter(call: FakeCall, service: ServiceName, control: ServiceCallControl): Promise<void> {
    this.calls.push(call);
    await Promise.resolve();
    const action = this.hook(call);
    if (action === 'crash') {
      // A dead worker loses everything it held.
      if (service === 'engine') {
        this.models.clear();
        this.engineDead = true;
      } else this.reference = null;
      throw new ServiceCrashError(service, 'worker terminated');
    }
    if (action === 'run') return;
    if ('fail' in action) throw new Error(action.fail);
    await action.holdUntil;
    if (control.signal.aborted) throw new DOMException('cancelled', 'AbortError');
  }
}
