// Layers on top of ModelBuilder for the sample architectures: each call adds one named ONNX node with
// freshly initialised weights (seeded), the way PyTorch would initialise the same layer. Names follow
// PyTorch's `layer.weight` / `layer.bias` habit so users recognise them in the layer table.
import { DataType } from '../../src/core/onnx/dataType.js';
import { ModelBuilder, float } from '../../src/core/graph/ModelBuilder.js';
import type { Random } from '../../src/core/random/seededRandom.js';

export interface ConvOptions {
  kernel: number;
  stride?: number;
  /** groups = inChannels makes a depthwise convolution */
  groups?: number;
  bias?: boolean;
}

/** He-normal N(0, 2 / fanIn): keeps activations at unit scale through Relu layers. */
function heNormal(random: Random, count: number, fanIn: number): Float32Array {
  const std = Math.sqrt(2 / fanIn);
  return Float32Array.from({ length: count }, () => random.normal() * std);
}

const filled = (count: number, value: number) => new Float32Array(count).fill(value);

export class LayerBuilder {
  constructor(readonly model: ModelBuilder, private readonly random: Random) {}

  /** (N, inC, H, W) → (N, outC, H', W'); "same" padding for odd kernels. */
  conv(name: string, x: string, inChannels: number, outChannels: number, { kernel, stride = 1, groups = 1, bias = true }: ConvOptions): string {
    const fanIn = (inChannels / groups) * kernel * kernel;
    const inputs = [x, this.model.initializer(`${name}.weight`, DataType.FLOAT, [outChannels, inChannels / groups, kernel, kernel], heNormal(this.random, outChannels * fanIn, fanIn))];
    if (bias) inputs.push(this.model.initializer(`${name}.bias`, DataType.FLOAT, [outChannels], filled(outChannels, 0)));
    const pad = (kernel - 1) >> 1;
    const [y] = this.model.node('Conv', inputs, { kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [pad, pad, pad, pad], group: groups }, { name });
    return y!;
  }

  /** Fresh batch norm as PyTorch starts it: scale 1, shift 0, running mean 0, running variance 1. */
  batchNorm(name: string, x: string, channels: number): string {
    const [y] = this.model.node(
      'BatchNormalization',
      [
        x,
        this.model.initializer(`${name}.weight`, DataType.FLOAT, [channels], filled(channels, 1)),
        this.model.initializer(`${name}.bias`, DataType.FLOAT, [channels], filled(channels, 0)),
        this.model.initializer(`${name}.running_mean`, DataType.FLOAT, [channels], filled(channels, 0)),
        this.model.initializer(`${name}.running_var`, DataType.FLOAT, [channels], filled(channels, 1)),
      ],
      { epsilon: float(1e-5), momentum: float(0.9) },
      { name },
    );
    return y!;
  }

  relu(name: string, x: string): string {
    return this.model.node('Relu', [x], {}, { name })[0]!;
  }

  /** ReLU6 as ONNX writes it: Clip with min 0 and max 6 as (opset ≥ 11) constant inputs. */
  relu6(name: string, x: string): string {
    const low = this.sharedScalar('relu6.min', 0);
    const high = this.sharedScalar('relu6.max', 6);
    return this.model.node('Clip', [x, low, high], {}, { name })[0]!;
  }

  maxPool(name: string, x: string, size: number): string {
    return this.model.node('MaxPool', [x], { kernel_shape: [size, size], strides: [size, size] }, { name })[0]!;
  }

  globalAveragePool(name: string, x: string): string {
    return this.model.node('GlobalAveragePool', [x], {}, { name })[0]!;
  }

  flatten(name: string, x: string): string {
    return this.model.node('Flatten', [x], { axis: 1 }, { name })[0]!;
  }

  add(name: string, a: string, b: string): string {
    return this.model.node('Add', [a, b], {}, { name })[0]!;
  }

  /** (N, in) → (N, out); the weight is stored (out, in) like PyTorch's Linear, hence transB. */
  linear(name: string, x: string, inFeatures: number, outFeatures: number, options: { last?: boolean; outputName?: string } = {}): string {
    // A last layer has no Relu after it: N(0, 1 / fanIn) keeps its logits near unit scale.
    const fanIn = options.last ? 2 * inFeatures : inFeatures;
    const weight = this.model.initializer(`${name}.weight`, DataType.FLOAT, [outFeatures, inFeatures], heNormal(this.random, outFeatures * inFeatures, fanIn));
    const bias = this.model.initializer(`${name}.bias`, DataType.FLOAT, [outFeatures], filled(outFeatures, 0));
    const outputs = options.outputName ? { outputs: [options.outputName] } : {};
    return this.model.node('Gemm', [x, weight, bias], { transB: 1 }, { name, ...outputs })[0]!;
  }

  private readonly scalars = new Map<string, string>();
  private sharedScalar(name: string, value: number): string {
    let tensor = this.scalars.get(name);
    if (!tensor) this.scalars.set(name, (tensor = this.model.initializer(name, DataType.FLOAT, [], new Float32Array([value]))));
    return tensor;
  }
}
