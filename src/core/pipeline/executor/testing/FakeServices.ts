// Test-only PipelineServices that do no real work: a "model" is the list of steps that made it, its
// size shrinks with each block, and evaluation reads figures off the steps. Every call is logged,
// so tests can count what ran; hooks let a test crash a call, fail it, or hold it until released
// (to cancel mid-call), the way the worker-backed services of the studio can.
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
  | { method: 'runPass'; inputKey: string; outputKey: string; type: string; params: Record<string, unknown> }
  | { method: 'evaluate'; key: string; reference: boolean }
  | { method: 'restart'; service: ServiceName };

/** What a hook may do with a call: let it run, crash the service, fail it, or hold it until `release`. */
export type CallHook = (call: FakeCall) => 'run' | 'crash' | { fail: string } | { holdUntil: Promise<void> };

interface FakeModel {
  steps: string[];
  sizeBytes: number;
}

export class FakeServices implements PipelineServices {
  readonly calls: FakeCall[] = [];
  hook: CallHook = () => 'run';
  private readonly models = new Map<string, FakeModel>();
  private reference: string | null = null;
  /** From an engine crash until its restart: what the evaluator asks of it fails as a crash too. */
  private engineDead = false;

  constructor(private readonly dataDescription: DataDescription | null = { key: 'fake-data', description: 'fake data: 100 test images' }) {}

  /** Calls of one method, in order. */
  callsOf<M extends FakeCall['method']>(method: M): Extract<FakeCall, { method: M }>[] {
    return this.calls.filter((call): call is Extract<FakeCall, { method: M }> => call.method === method);
  }

  async putModel({ key }: PutModelRequest, control: ServiceCallControl): Promise<ModelReport> {
    await this.enter({ method: 'putModel', key }, 'engine', control);
    this.models.set(key, { steps: [], sizeBytes: 1_000_000 });
    return { key, sizes: this.sizes(1_000_000), notes: [] };
  }

  async runPass(request: PassRequest, control: ServiceCallControl): Promise<ModelReport> {
    await this.enter({ method: 'runPass', ...request }, 'engine', control);
    const input = this.models.get(request.inputKey);
    if (!input) throw new Error(`fake engine: no model under ${request.inputKey}`);
    control.onProgress(0.5, `${request.type}: halfway`);
    if (control.signal.aborted) throw new DOMException('cancelled', 'AbortError');
    control.onProgress(1);
    const model = { steps: [...input.steps, request.type], sizeBytes: Math.round(input.sizeBytes / 2) };
    this.models.set(request.outputKey, model);
    return { key: request.outputKey, sizes: this.sizes(model.sizeBytes), notes: [] };
  }

  async evaluate({ key, reference }: EvaluationRequest, control: ServiceCallControl): Promise<EvaluationFigures> {
    await this.enter({ method: 'evaluate', key, reference }, 'evaluator', control);
    const model = this.models.get(key);
    // In the studio the evaluator fetches the model from the engine worker: a dead engine rejects.
    if (!model && this.engineDead) throw new ServiceCrashError('engine', 'worker terminated');
    if (!model) throw new Error(`fake evaluator: no model under ${key}`);
    if (!reference && this.reference === null) throw new Error('fake evaluator: no reference held');
    if (reference) this.reference = key;
    control.onProgress(1);
    const accuracy = 0.9 - 0.01 * model.steps.length;
    return { accuracy, agreement: reference ? null : 1 - 0.01 * model.steps.length, sqnrDb: reference ? null : 40 - model.steps.length, latencyMs: 0.1 };
  }

  async modelBytes(key: string): Promise<Uint8Array> {
    const model = this.models.get(key);
    if (!model) throw new Error(`fake engine: no model under ${key}`);
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
