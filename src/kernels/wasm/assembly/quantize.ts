// @ts-nocheck — AssemblyScript (see gemm.ts).
//
// Grouped quantize, dequantize and fake-quantize over one streamed chunk of rows (see
// groupedLayout.ts), sixteen elements per step. Bit-exact with the JS reference:
// - the division is an IEEE f32 division (not a multiply by the reciprocal), as ONNX specifies;
// - the quotient is clamped to [qmin − zp, qmax − zp] BEFORE rounding — the bounds are integers, so
//   clamping and rounding commute — and then rounded by adding 1.5 · 2²³: in [2²³, 2²⁴) the float
//   spacing is 1, so the addition itself rounds half to even, and the integer sits in the low
//   mantissa bits. That is two cheap instructions where nearest + trunc_sat take about ten;
// - NaN (from NaN input or 0/0) is zeroed before the clamp, so it lands on the zero point.
import { nextRun, rowGroup, runGroup, runLength, startRuns } from './groupedLayout';

const ROUNDING_MAGIC: f32 = 12582912.0; // 1.5 · 2²³
const ROUNDING_MAGIC_BITS: i32 = 0x4b400000;

/** x / scale with NaN → 0, clamped to [lo, hi]; pmax/pmin are one instruction each. */
// @ts-ignore: decorator
@inline function clampedQuotient(x: v128, scale: v128, lo: v128, hi: v128): v128 {
  const quotient = f32x4.div(x, scale);
  const finite = v128.and(quotient, f32x4.eq(quotient, quotient));
  return f32x4.pmin(f32x4.pmax(finite, lo), hi);
}

/** round(clamped) + zp as i32 lanes; `offset` = ROUNDING_MAGIC_BITS − zp. */
// @ts-ignore: decorator
@inline function quantizeQuad(x: v128, scale: v128, lo: v128, hi: v128, offset: v128): v128 {
  return i32x4.sub(f32x4.add(clampedQuotient(x, scale, lo, hi), f32x4.splat(ROUNDING_MAGIC)), offset);
}

/** round(clamped) as float lanes: q − zp, ready to be scaled back. */
// @ts-ignore: decorator
@inline function roundedQuad(x: v128, scale: v128, lo: v128, hi: v128): v128 {
  const magic = f32x4.splat(ROUNDING_MAGIC);
  return f32x4.sub(f32x4.add(clampedQuotient(x, scale, lo, hi), magic), magic);
}

/** q − zp of one element (the zero point is added by the caller). */
// @ts-ignore: decorator
@inline function quantizeScalar(x: f32, scale: f32, lo: f32, hi: f32): i32 {
  const clamped = min<f32>(max<f32>(nearest<f32>(x / scale), lo), hi);
  return clamped != clamped ? 0 : <i32>clamped;
}

/** Sixteen i32 lanes to sixteen saturated bytes, signed or unsigned by T. */
// @ts-ignore: decorator
@inline function narrowToBytes<T>(a: v128, b: v128, c: v128, d: v128): v128 {
  const low = i16x8.narrow_i32x4_s(a, b);
  const high = i16x8.narrow_i32x4_s(c, d);
  return isSigned<T>() ? i8x16.narrow_i16x8_s(low, high) : i8x16.narrow_i16x8_u(low, high);
}

/** Sixteen bytes to four quads of f32 (q − zp), widening signed or unsigned by T. */
// @ts-ignore: decorator
@inline function widenQuad<T>(bytes: v128, quad: i32): v128 {
  const halves = quad < 2
    ? (isSigned<T>() ? i16x8.extend_low_i8x16_s(bytes) : i16x8.extend_low_i8x16_u(bytes))
    : (isSigned<T>() ? i16x8.extend_high_i8x16_s(bytes) : i16x8.extend_high_i8x16_u(bytes));
  return (quad & 1) == 0 ? i32x4.extend_low_i16x8_s(halves) : i32x4.extend_high_i16x8_s(halves);
}

// ---- quantize ----

function quantizeRun<T>(x: usize, n: i32, scale: f32, zeroPoint: i32, qmin: i32, qmax: i32, out: usize): void {
  const lo = <f32>(qmin - zeroPoint);
  const hi = <f32>(qmax - zeroPoint);
  const s = f32x4.splat(scale);
  const l = f32x4.splat(lo);
  const h = f32x4.splat(hi);
  const offset = i32x4.splat(ROUNDING_MAGIC_BITS - zeroPoint);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const at = x + <usize>i * 4;
    const a = quantizeQuad(v128.load(at), s, l, h, offset);
    const b = quantizeQuad(v128.load(at, 16), s, l, h, offset);
    const c = quantizeQuad(v128.load(at, 32), s, l, h, offset);
    const d = quantizeQuad(v128.load(at, 48), s, l, h, offset);
    v128.store(out + i, narrowToBytes<T>(a, b, c, d));
  }
  for (; i < n; i++) store<T>(out + i, <T>(quantizeScalar(load<f32>(x + <usize>i * 4), scale, lo, hi) + zeroPoint));
}

/** Four elements of a row, each with its own group's scale and zero point. */
// @ts-ignore: decorator
@inline function quantizeRowQuad(x: usize, scale: usize, zeroPoint: usize, qmin: i32, qmax: i32): v128 {
  const z = v128.load(zeroPoint);
  const l = f32x4.convert_i32x4_s(i32x4.sub(i32x4.splat(qmin), z));
  const h = f32x4.convert_i32x4_s(i32x4.sub(i32x4.splat(qmax), z));
  return quantizeQuad(v128.load(x), v128.load(scale), l, h, i32x4.sub(i32x4.splat(ROUNDING_MAGIC_BITS), z));
}

function quantizeRow<T>(x: usize, n: i32, scale: usize, zeroPoint: usize, qmin: i32, qmax: i32, out: usize): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const at = <usize>i * 4;
    const a = quantizeRowQuad(x + at, scale + at, zeroPoint + at, qmin, qmax);
    const b = quantizeRowQuad(x + at + 16, scale + at + 16, zeroPoint + at + 16, qmin, qmax);
    const c = quantizeRowQuad(x + at + 32, scale + at + 32, zeroPoint + at + 32, qmin, qmax);
    const d = quantizeRowQuad(x + at + 48, scale + at + 48, zeroPoint + at + 48, qmin, qmax);
    v128.store(out + i, narrowToBytes<T>(a, b, c, d));
  }
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i * 4;
    const q = quantizeRowQuad(x + at, scale + at, zeroPoint + at, qmin, qmax);
    v128.store32_lane(out + i, narrowToBytes<T>(q, q, q, q), 0);
  }
  for (; i < n; i++) {
    const at = <usize>i * 4;
    const z = load<i32>(zeroPoint + at);
    store<T>(out + i, <T>(quantizeScalar(load<f32>(x + at), load<f32>(scale + at), <f32>(qmin - z), <f32>(qmax - z)) + z));
  }
}

function quantizeChunk<T>(x: usize, rows: i32, firstRow: i32, axisLength: i32, inner: i32, block: i32, scale: usize, zeroPoint: usize, groupBase: i32, qmin: i32, qmax: i32, out: usize): void {
  if (inner == 1) {
    startRuns(firstRow, rows, axisLength, block, groupBase);
    while (nextRun()) {
      const g = <usize>runGroup * 4;
      quantizeRun<T>(x, runLength, load<f32>(scale + g), load<i32>(zeroPoint + g), qmin, qmax, out);
      x += <usize>runLength * 4;
      out += <usize>runLength;
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const g = <usize>rowGroup(firstRow + r, axisLength, inner, block, groupBase) * 4;
    quantizeRow<T>(x, inner, scale + g, zeroPoint + g, qmin, qmax, out);
    x += <usize>inner * 4;
    out += <usize>inner;
  }
}

/** out (bytes) = clamp(round(x / scale[g]) + zp[g], qmin, qmax); `signed` picks int8 or uint8 saturation. */
export function quantizeGroupsChunk(x: usize, rows: i32, firstRow: i32, axisLength: i32, inner: i32, block: i32, scale: usize, zeroPoint: usize, groupBase: i32, qmin: i32, qmax: i32, out: usize, signed: i32): void {
  if (signed) quantizeChunk<i8>(x, rows, firstRow, axisLength, inner, block, scale, zeroPoint, groupBase, qmin, qmax, out);
  else quantizeChunk<u8>(x, rows, firstRow, axisLength, inner, block, scale, zeroPoint, groupBase, qmin, qmax, out);
}

// ---- dequantize ----

function dequantizeRun<T>(q: usize, n: i32, scale: f32, zeroPoint: i32, out: usize): void {
  const s = f32x4.splat(scale);
  const z = i32x4.splat(zeroPoint);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const bytes = v128.load(q + i);
    const at = out + <usize>i * 4;
    v128.store(at, f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(widenQuad<T>(bytes, 0), z)), s));
    v128.store(at, f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(widenQuad<T>(bytes, 1), z)), s), 16);
    v128.store(at, f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(widenQuad<T>(bytes, 2), z)), s), 32);
    v128.store(at, f32x4.mul(f32x4.convert_i32x4_s(i32x4.sub(widenQuad<T>(bytes, 3), z)), s), 48);
  }
  for (; i < n; i++) store<f32>(out + <usize>i * 4, <f32>(<i32>load<T>(q + i) - zeroPoint) * scale);
}

function dequantizeRow<T>(q: usize, n: i32, scale: usize, zeroPoint: usize, out: usize): void {
  for (let i = 0; i < n; i++) {
    const at = <usize>i * 4;
    store<f32>(out + at, <f32>(<i32>load<T>(q + i) - load<i32>(zeroPoint + at)) * load<f32>(scale + at));
  }
}

function dequantizeChunk<T>(q: usize, rows: i32, firstRow: i32, axisLength: i32, inner: i32, block: i32, scale: usize, zeroPoint: usize, groupBase: i32, out: usize): void {
  if (inner == 1) {
    startRuns(firstRow, rows, axisLength, block, groupBase);
    while (nextRun()) {
      const g = <usize>runGroup * 4;
      dequantizeRun<T>(q, runLength, load<f32>(scale + g), load<i32>(zeroPoint + g), out);
      q += <usize>runLength;
      out += <usize>runLength * 4;
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const g = <usize>rowGroup(firstRow + r, axisLength, inner, block, groupBase) * 4;
    dequantizeRow<T>(q, inner, scale + g, zeroPoint + g, out);
    q += <usize>inner;
    out += <usize>inner * 4;
  }
}

/** out = (q − zp[g]) · scale[g]; `signed` says whether the bytes are int8 or uint8. */
export function dequantizeGroupsChunk(q: usize, rows: i32, firstRow: i32, axisLength: i32, inner: i32, block: i32, scale: usize, zeroPoint: usize, groupBase: i32, out: usize, signed: i32): void {
  if (signed) dequantizeChunk<i8>(q, rows, firstRow, axisLength, inner, block, scale, zeroPoint, groupBase, out);
  else dequantizeChunk<u8>(q, rows, firstRow, axisLength, inner, block, scale, zeroPoint, groupBase, out);
}

// ---- fake-quantize: (q − zp) · scale without leaving float registers ----

function fakeQuantizeRun(x: usize, n: i32, scale: f32, zeroPoint: i32, qmin: i32, qmax: i32, out: usize): void {
  const lo = <f32>(qmin - zeroPoint);
  const hi = <f32>(qmax - zeroPoint);
  const s = f32x4.splat(scale);
  const l = f32x4.splat(lo);
  const h = f32x4.splat(hi);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i * 4;
    v128.store(out + at, f32x4.mul(roundedQuad(v128.load(x + at), s, l, h), s));
  }
  for (; i < n; i++) {
    const at = <usize>i * 4;
    store<f32>(out + at, <f32>quantizeScalar(load<f32>(x + at), scale, lo, hi) * scale);
  }
}

function fakeQuantizeRow(x: usize, n: i32, scale: usize, zeroPoint: usize, qmin: i32, qmax: i32, out: usize): void {
  const qminLanes = i32x4.splat(qmin);
  const qmaxLanes = i32x4.splat(qmax);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i * 4;
    const z = v128.load(zeroPoint + at);
    const s = v128.load(scale + at);
    const l = f32x4.convert_i32x4_s(i32x4.sub(qminLanes, z));
    const h = f32x4.convert_i32x4_s(i32x4.sub(qmaxLanes, z));
    v128.store(out + at, f32x4.mul(roundedQuad(v128.load(x + at), s, l, h), s));
  }
  for (; i < n; i++) {
    const at = <usize>i * 4;
    const z = load<i32>(zeroPoint + at);
    const s = load<f32>(scale + at);
    store<f32>(out + at, <f32>quantizeScalar(load<f32>(x + at), s, <f32>(qmin - z), <f32>(qmax - z)) * s);
  }
}

/** out = dequantize(quantize(x)) per group, in one sweep. */
export function fakeQuantizeGroupsChunk(x: usize, rows: i32, firstRow: i32, axisLength: i32, inner: i32, block: i32, scale: usize, zeroPoint: usize, groupBase: i32, qmin: i32, qmax: i32, out: usize): void {
  if (inner == 1) {
    startRuns(firstRow, rows, axisLength, block, groupBase);
    while (nextRun()) {
      const g = <usize>runGroup * 4;
      fakeQuantizeRun(x, runLength, load<f32>(scale + g), load<i32>(zeroPoint + g), qmin, qmax, out);
      x += <usize>runLength * 4;
      out += <usize>runLength * 4;
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const g = <usize>rowGroup(firstRow + r, axisLength, inner, block, groupBase) * 4;
    fakeQuantizeRow(x, inner, scale + g, zeroPoint + g, qmin, qmax, out);
    x += <usize>inner * 4;
    out += <usize>inner * 4;
  }
}
