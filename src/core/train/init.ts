// Parameter initialisation from a seeded generator, so a model built twice from one seed is the same
// bit for bit.
//
//   heUniform:        U(−b, b),  b = √(6 / fanIn)            (Kaiming/He for ReLU nets, gain √2)
//   torchDefault:     U(−b, b),  b = 1 / √fanIn              (PyTorch's Linear/Conv default:
//                                                              kaiming_uniform(a = √5) for weights,
//                                                              the same bound for biases)
import type { Random } from '../random/seededRandom.js';
import { sizeOf } from './Tensor.js';

export function uniform(random: Random, count: number, bound: number): Float32Array {
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = (2 * random.next() - 1) * bound;
  return values;
}

/** Kaiming/He uniform: variance 2 / fanIn, the right scale in front of a ReLU. */
export function heUniform(random: Random, shape: readonly number[], fanIn: number): Float32Array {
  return uniform(random, sizeOf(shape), Math.sqrt(6 / fanIn));
}

/** PyTorch's default for Linear and Conv weights and biases: U(−1/√fanIn, 1/√fanIn). */
export function torchDefault(random: Random, shape: readonly number[], fanIn: number): Float32Array {
  return uniform(random, sizeOf(shape), 1 / Math.sqrt(fanIn));
}

/** Inputs feeding each output of a weight: (M, C/g, kH, kW) → C/g·kH·kW; (out, in) → in. */
export function fanInOf(weightShape: readonly number[]): number {
  return sizeOf(weightShape.slice(1));
}
