// Our dtype codecs against ONNX Runtime as an independent implementation: ORT's Cast widens every
// float16 / bfloat16 pattern and narrows float32 values; ORT's DequantizeLinear unpacks our packed
// int4/uint4/int2/uint2 initializers. Agreement means files we write mean what we think they mean.
import { describe, expect, it } from 'vitest';
import { DataType } from './dataType.js';
import { bfloat16BitsToFloat, floatToBfloat16Bits } from './bfloat16.js';
import { float16BitsToFloat, floatToFloat16Bits } from './float16.js';
import { encodeModel } from './modelFile.js';
import { ModelBuilder } from '../graph/ModelBuilder.js';
import { seededRandom } from '../random/seededRandom.js';
import { runWithOrtNode, runWithOrtWeb } from '../testing/onnxRuntimeReference.js';

const ALL_PATTERNS = Uint16Array.from({ length: 65536 }, (_, i) => i);

/** y = Cast(initializer of `type` holding `bits`, to float) + x, with x zeros: ORT widens for us. */
function widenModel(type: DataType.FLOAT16 | DataType.BFLOAT16, bits: Uint16Array): Uint8Array {
  const b = new ModelBuilder({ opset: 17 });
  const x = b.input('x', DataType.FLOAT, [bits.length]);
  const w = b.initializer('w', type, [bits.length], bits);
  const [wide] = b.node('Cast', [w], { to: DataType.FLOAT }, { name: 'widen' });
  b.node('Add', [wide!, x], {}, { name: 'add', outputs: ['y'] });
  b.output('y', DataType.FLOAT, [bits.length]);
  return encodeModel(b.build());
}

/** y = Cast(Cast(x, to type), to float): ORT narrows x, then widens exactly. */
function narrowModel(type: DataType.FLOAT16 | DataType.BFLOAT16, count: number): Uint8Array {
  const b = new ModelBuilder({ opset: 17 });
  const x = b.input('x', DataType.FLOAT, [count]);
  const [narrow] = b.node('Cast', [x], { to: type }, { name: 'narrow' });
  b.node('Cast', [narrow!], { to: DataType.FLOAT }, { name: 'widen', outputs: ['y'] });
  b.output('y', DataType.FLOAT, [count]);
  return encodeModel(b.build());
}

function sameFloat(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

/** Finite float32 values around the half and bfloat16 ranges, plus ties and edge cases. */
function narrowingInputs(): Float32Array {
  const random = seededRandom(99);
  const values: number[] = [0, -0, 1, -1, 65504, 65519.99, 65520, 1e9, -1e9, 2 ** -24, 2 ** -25, 3 * 2 ** -25, 1 / 3, Infinity, -Infinity];
  for (let i = 0; i < 20_000; i++) {
    const scale = 2 ** Math.floor(random.next() * 60 - 30);
    values.push((random.next() * 2 - 1) * scale);
  }
  // Exact float16 ties: the midpoint between consecutive halves.
  for (let bits = 0; bits < 0x7bff; bits += 7) values.push((float16BitsToFloat(bits) + float16BitsToFloat(bits + 1)) / 2);
  return Float32Array.from(values);
}

describe.each([
  ['float16', DataType.FLOAT16, float16BitsToFloat, floatToFloat16Bits] as const,
  ['bfloat16', DataType.BFLOAT16, bfloat16BitsToFloat, floatToBfloat16Bits] as const,
])('%s codec vs ONNX Runtime Cast', (_name, type, widen, narrow) => {
  it.each([['web', runWithOrtWeb], ['node', runWithOrtNode]] as const)('widening agrees on all 65,536 patterns (%s)', async (_runtime, run) => {
    const out = (await run(widenModel(type, ALL_PATTERNS), { x: { type: 'float32', data: new Float32Array(65536), dims: [65536] } }))['y']!.data as Float32Array;
    const mismatches: string[] = [];
    for (let bits = 0; bits < 65536; bits++) {
      // x + 0 turns -0 into +0; compare magnitudes for zeros.
      const ours = widen(bits) === 0 ? 0 : Math.fround(widen(bits));
      const theirs = out[bits] === 0 ? 0 : out[bits]!;
      if (!sameFloat(ours, theirs)) mismatches.push(`0x${bits.toString(16)}: ours ${ours}, ORT ${theirs}`);
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  it.each([['web', runWithOrtWeb], ['node', runWithOrtNode]] as const)('narrowing agrees with round-to-nearest-even on float32 inputs (%s)', async (_runtime, run) => {
    const inputs = narrowingInputs();
    const out = (await run(narrowModel(type, inputs.length), { x: { type: 'float32', data: inputs, dims: [inputs.length] } }))['y']!.data as Float32Array;
    const mismatches: string[] = [];
    inputs.forEach((value, i) => {
      const ours = widen(narrow(value));
      if (!sameFloat(Math.fround(ours), out[i]!)) mismatches.push(`${value}: ours ${ours}, ORT ${out[i]}`);
    });
    expect(mismatches.slice(0, 10)).toEqual([]);
  });
});

describe.each([
  ['int4', DataType.INT4, -8, 7, 21],
  ['uint4', DataType.UINT4, 0, 15, 21],
  ['int2', DataType.INT2, -2, 1, 25],
  ['uint2', DataType.UINT2, 0, 3, 25],
] as const)('%s packing vs ONNX Runtime DequantizeLinear', (_name, type, min, max, opset) => {
  it.each([7, 64])('ORT unpacks our packed initializer of %i values to the same integers', async (count) => {
    const random = seededRandom(count + max);
    const values = Array.from({ length: count }, () => min + Math.floor(random.next() * (max - min + 1)));
    const b = new ModelBuilder({ opset, irVersion: opset >= 25 ? 11 : 10 });
    const x = b.input('x', DataType.FLOAT, [count]);
    const w = b.initializer('w', type, [count], min < 0 ? Int8Array.from(values) : Uint8Array.from(values));
    const scale = b.initializer('scale', DataType.FLOAT, [], Float32Array.of(1));
    const [dq] = b.node('DequantizeLinear', [w, scale], {}, { name: 'dq' });
    b.node('Add', [dq!, x], {}, { name: 'add', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [count]);
    const bytes = encodeModel(b.build());
    const feeds = { x: { type: 'float32' as const, data: new Float32Array(count), dims: [count] } };
    for (const run of [runWithOrtWeb, runWithOrtNode]) {
      const out = (await run(bytes, feeds))['y']!.data as Float32Array;
      expect(Array.from(out)).toEqual(values);
    }
  });
});
