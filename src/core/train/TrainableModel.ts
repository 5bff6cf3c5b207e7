// A model the engine can train: ONNX-shaped nodes compiled to op calls, with parameters (trained),
// buffers (BatchNormalization running statistics: updated by training-mode forward passes, not by
// the optimizer) and constants. Built from an ONNX graph by `trainableFromOnnx`; written back by
// `onnxFromTrainable`, which keeps the source graph and swaps in the new weights.
import type { Graph } from '../graph/Graph.js';
import type { OpContext } from './autograd.js';
import { formatShape, Tensor } from './Tensor.js';

export interface CompiledNode {
  id: string;
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  /** Reads its inputs from `values` and returns its outputs, in order. */
  run(ctx: OpContext, values: ReadonlyMap<string, Tensor>): Promise<Tensor[]> | Tensor[];
}

export interface ModelInput {
  name: string;
  /** Declared dims, null where symbolic (the batch dimension, always); null when no shape is declared. */
  shape: (number | null)[] | null;
}

export class TrainableModel {
  constructor(
    /** The ONNX graph this model was built from; export replaces its weights and keeps the rest. */
    readonly source: Graph,
    readonly nodes: readonly CompiledNode[],
    readonly parameters: ReadonlyMap<string, Tensor>,
    readonly buffers: ReadonlyMap<string, Tensor>,
    readonly constants: ReadonlyMap<string, Tensor>,
    readonly inputs: readonly ModelInput[],
    readonly outputNames: readonly string[],
  ) {}

  /** Runs every node; returns the graph outputs by name. Records on ctx.tape when it is set. */
  async forward(ctx: OpContext, feeds: Readonly<Record<string, Tensor>>): Promise<Map<string, Tensor>> {
    const values = new Map<string, Tensor>(this.constants);
    for (const [name, t] of this.parameters) values.set(name, t);
    for (const [name, t] of this.buffers) values.set(name, t);
    for (const input of this.inputs) {
      const feed = feeds[input.name];
      if (!feed) throw new Error(`the model needs input '${input.name}' but it was not given`);
      const declared = input.shape;
      const fits = declared === null || (feed.rank === declared.length && declared.every((d, i) => d === null || d === feed.shape[i]));
      if (!fits) throw new RangeError(`input '${input.name}' is declared (${declared.map((d) => d ?? '?').join(', ')}) but was given ${formatShape(feed.shape)}`);
      values.set(input.name, feed);
    }
    for (const node of this.nodes) {
      let outputs: Tensor[];
      try {
        const pending = node.run(ctx, values);
        outputs = pending instanceof Promise ? await pending : pending;
      } catch (error) {
        // Say which node failed: "node 'conv3' (Conv): Conv: X has 4 channels and W …"
        const message = error instanceof Error ? error.message : String(error);
        throw new RangeError(`node '${node.id}' (${node.opType}): ${message}`, { cause: error });
      }
      node.outputs.forEach((name, i) => {
        if (name && outputs[i]) values.set(name, outputs[i]);
      });
    }
    const result = new Map<string, Tensor>();
    for (const name of this.outputNames) {
      const value = values.get(name);
      if (!value) throw new Error(`graph output '${name}' was never computed`);
      result.set(name, value);
    }
    return result;
  }

  /** The single input and output of a classifier-shaped model: x → logits. */
  async predict(ctx: OpContext, x: Tensor): Promise<Tensor> {
    if (this.inputs.length !== 1 || this.outputNames.length !== 1) {
      throw new Error(`predict needs a model with one input and one output; this one has ${this.inputs.length} and ${this.outputNames.length}`);
    }
    const outputs = await this.forward(ctx, { [this.inputs[0]!.name]: x });
    return outputs.get(this.outputNames[0]!)!;
  }

  zeroGrad(): void {
    for (const p of this.parameters.values()) p.grad = null;
  }

  parameterCount(): number {
    let count = 0;
    for (const p of this.parameters.values()) count += p.size;
    return count;
  }
}
