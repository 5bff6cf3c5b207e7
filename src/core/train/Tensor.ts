// The engine's one data type: a float32 array with a shape and, once backward reaches it, a gradient
// of the same length. Row-major and contiguous, always; views never exist, so every op can index
// `data` directly with the shape's strides.

export class Tensor {
  /** ∂loss/∂this, allocated by the first backward step that reaches this tensor. */
  grad: Float32Array | null = null;

  constructor(
    readonly shape: readonly number[],
    readonly data: Float32Array,
    /** True for parameters and for everything computed from them while a tape records. */
    public requiresGrad = false,
  ) {
    const size = sizeOf(shape);
    if (data.length !== size) throw new RangeError(`a tensor of shape (${shape.join(', ')}) needs ${size} values but was given ${data.length}`);
  }

  static zeros(shape: readonly number[], requiresGrad = false): Tensor {
    return new Tensor(shape, new Float32Array(sizeOf(shape)), requiresGrad);
  }

  static scalar(value: number): Tensor {
    return new Tensor([], Float32Array.of(value));
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The gradient, allocated as zeros on first use. */
  gradient(): Float32Array {
    return (this.grad ??= new Float32Array(this.data.length));
  }
}

export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: readonly number[]): string {
  return `(${shape.join(', ')})`;
}

/** Row-major strides: strides[i] = product of shape[i+1..]. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i]!;
  }
  return strides;
}

/** Resolves a possibly negative axis against a rank, or explains why it is out of range. */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  const resolved = axis < 0 ? axis + rank : axis;
  if (resolved < 0 || resolved >= rank) throw new RangeError(`${op}: axis ${axis} is out of range for a rank-${rank} tensor`);
  return resolved;
}
