// Adds freshly initialised layers to a ModelBuilder, so models to be trained (sample models, students,
// tests) are ordinary ONNX graphs from the first step: build, then `trainableFromOnnx`.
//
//   const b = new ModelBuilder({ opset: 17 });
//   const layers = new InitializedLayers(b, seededRandom(1));
//   let h = layers.conv('conv1', b.input('input', DataType.FLOAT, ['N', 1, 28, 28]), 1, 16, 3, { pad: 1 });
//   h = layers.relu(layers.batchNorm('bn1', h, 16));
//
// Weights follow PyTorch's defaults (U(±1/√fanIn) for Linear and Conv), BatchNorm starts at γ = 1,
// β = 0, running mean 0 and variance 1, so a model built from one seed is the same bit for bit.
import { float, type ModelBuilder } from '../graph/ModelBuilder.js';
import { DataType } from '../onnx/dataType.js';
import type { Random } from '../random/seededRandom.js';
import { torchDefault } from './init.js';

export interface ConvOptions {
  stride?: number;
  pad?: number;
  dilation?: number;
  group?: number;
  bias?: boolean;
}

export class InitializedLayers {
  constructor(
    readonly builder: ModelBuilder,
    readonly random: Random,
  ) {}

  /** Gemm with weight (out, in) and transB, as PyTorch's Linear exports: (N, in) → (N, out). */
  linear(name: string, x: string, inFeatures: number, outFeatures: number, bias = true): string {
    const b = this.builder;
    const weight = b.initializer(`${name}.weight`, DataType.FLOAT, [outFeatures, inFeatures], torchDefault(this.random, [outFeatures, inFeatures], inFeatures));
    const inputs = [x, weight];
    if (bias) inputs.push(b.initializer(`${name}.bias`, DataType.FLOAT, [outFeatures], torchDefault(this.random, [outFeatures], inFeatures)));
    return b.node('Gemm', inputs, { transB: 1 }, { name })[0]!;
  }

  /** Square-kernel Conv: (N, inChannels, H, W) → (N, outChannels, H′, W′). */
  conv(name: string, x: string, inChannels: number, outChannels: number, kernel: number, options: ConvOptions = {}): string {
    const { stride = 1, pad = 0, dilation = 1, group = 1, bias = true } = options;
    const b = this.builder;
    const shape = [outChannels, inChannels / group, kernel, kernel];
    const fanIn = (inChannels / group) * kernel * kernel;
    const weight = b.initializer(`${name}.weight`, DataType.FLOAT, shape, torchDefault(this.random, shape, fanIn));
    const inputs = [x, weight];
    if (bias) inputs.push(b.initializer(`${name}.bias`, DataType.FLOAT, [outChannels], torchDefault(this.random, [outChannels], fanIn)));
    const attributes = { kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [pad, pad, pad, pad], dilations: [dilation, dilation], group };
    return b.node('Conv', inputs, attributes, { name })[0]!;
  }

  batchNorm(name: string, x: string, channels: number, epsilon = 1e-5, momentum = 0.9): string {
    const b = this.builder;
    const constant = (suffix: string, value: number) => b.initializer(`${name}.${suffix}`, DataType.FLOAT, [channels], new Float32Array(channels).fill(value));
    const inputs = [x, constant('weight', 1), constant('bias', 0), constant('running_mean', 0), constant('running_var', 1)];
    return b.node('BatchNormalization', inputs, { epsilon: float(epsilon), momentum: float(momentum) }, { name })[0]!;
  }

  relu(x: string): string {
    return this.builder.node('Relu', [x])[0]!;
  }
}

