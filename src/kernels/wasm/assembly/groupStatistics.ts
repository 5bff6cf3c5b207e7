// @ts-nocheck — AssemblyScript (see gemm.ts).
//
// Per-group min/max, absmax and L1/L2 norms over one streamed chunk of rows (see groupedLayout.ts).
// They ACCUMULATE into the staged per-group arrays (the host initializes them once per call), so a
// group that spans several chunks comes out whole. Comparisons use pmin/pmax (`b < a ? b : a`),
// which skip NaN exactly like the reference's `if (v < min)`. Norms accumulate in f64.
import { nextRun, rowGroup, runGroup, runLength, startRuns } from './groupedLayout';

// ---- min / max ----

function minMaxRun(x: usize, n: i32, min: usize, max: usize): void {
  let lowest = f32x4.splat(Infinity);
  let highest = f32x4.splat(-Infinity);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + <usize>i * 4);
    lowest = f32x4.pmin(lowest, v);
    highest = f32x4.pmax(highest, v);
  }
  let m = load<f32>(min);
  let M = load<f32>(max);
  for (let lane = 0; lane < 4; lane++) {
    const low = f32x4.extract_lane(lowest, 0);
    const high = f32x4.extract_lane(highest, 0);
    if (low < m) m = low;
    if (high > M) M = high;
    lowest = v128.shuffle<f32>(lowest, lowest, 1, 2, 3, 0);
    highest = v128.shuffle<f32>(highest, highest, 1, 2, 3, 0);
  }
  for (; i < n; i++) {
    const v = load<f32>(x + <usize>i * 4);
    if (v < m) m = v;
    if (v > M) M = v;
  }
  store<f32>(min, m);
  store<f32>(max, M);
}

function minMaxRow(x: usize, n: i32, min: usize, max: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i * 4;
    const v = v128.load(x + at);
    v128.store(min + at, f32x4.pmin(v128.load(min + at), v));
    v128.store(max + at, f32x4.pmax(v128.load(max + at), v));
  }
  for (; i < n; i++) {
    const at = <usize>i * 4;
    const v = load<f32>(x + at);
    if (v < load<f32>(min + at)) store<f32>(min + at, v);
    if (v > load<f32>(max + at)) store<f32>(max + at, v);
  }
}

export function minMaxGroupsChunk(x: usize, rows: i32, firstRow: i32, axisLength: i32, inner: i32, block: i32, min: usize, max: usize, groupBase: i32): void {
  if (inner == 1) {
    startRuns(firstRow, rows, axisLength, block, groupBase);
    while (nextRun()) {
      minMaxRun(x, runLength, min + <usize>runGroup * 4, max + <usize>runGroup * 4);
      x += <usize>runLength * 4;
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const g = <usize>rowGroup(firstRow + r, axisLength, inner, block, groupBase) * 4;
    minMaxRow(x, inner, min + g, max + g);
    x += <usize>inner * 4;
  }
}

// ---- absmax ----

function absMaxRun(x: usize, n: i32, out: usize): void {
  let highest = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) highest = f32x4.pmax(highest, f32x4.abs(v128.load(x + <usize>i * 4)));
  let M = load<f32>(out);
  for (let lane = 0; lane < 4; lane++) {
    const high = f32x4.extract_lane(highest, 0);
    if (high > M) M = high;
    highest = v128.shuffle<f32>(highest, highest, 1, 2, 3, 0);
  }
  for (; i < n; i++) {
    const v = abs<f32>(load<f32>(x + <usize>i * 4));
    if (v > M) M = v;
  }
  store<f32>(out, M);
}

function absMaxRow(x: usize, n: i32, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i * 4;
    v128.store(out + at, f32x4.pmax(v128.load(out + at), f32x4.abs(v128.load(x + at))));
  }
  for (; i < n; i++) {
    const at = <usize>i * 4;
    const v = abs<f32>(load<f32>(x + at));
    if (v > load<f32>(out + at)) store<f32>(out + at, v);
  }
}

export function absMaxGroupsChunk(x: usize, rows: i32, firstRow: i32, axisLength: i32, inner: i32, block: i32, out: usize, groupBase: i32): void {
  if (inner == 1) {
    startRuns(firstRow, rows, axisLength, block, groupBase);
    while (nextRun()) {
      absMaxRun(x, runLength, out + <usize>runGroup * 4);
      x += <usize>runLength * 4;
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    absMaxRow(x, inner, out + <usize>rowGroup(firstRow + r, axisLength, inner, block, groupBase) * 4);
    x += <usize>inner * 4;
  }
}

// ---- norms: Σ |x| (p = 1) or Σ x² (p = 2) in f64; the host takes the square root ----

// @ts-ignore: decorator
@inline function normTerms(v: v128, squared: bool): v128 {
  return squared ? f64x2.mul(v, v) : f64x2.abs(v);
}

function normRun(x: usize, n: i32, squared: bool, sums: usize): void {
  let low = f64x2.splat(0);
  let high = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + <usize>i * 4);
    low = f64x2.add(low, normTerms(f64x2.promote_low_f32x4(v), squared));
    high = f64x2.add(high, normTerms(f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)), squared));
  }
  const lanes = f64x2.add(low, high);
  let total = load<f64>(sums) + (f64x2.extract_lane(lanes, 0) + f64x2.extract_lane(lanes, 1));
  for (; i < n; i++) {
    const v = <f64>load<f32>(x + <usize>i * 4);
    total += squared ? v * v : abs<f64>(v);
  }
  store<f64>(sums, total);
}

function normRow(x: usize, n: i32, squared: bool, sums: usize): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = sums + <usize>i * 8;
    const v = f64x2.promote_low_f32x4(v128.load64_zero(x + <usize>i * 4));
    v128.store(at, f64x2.add(v128.load(at), normTerms(v, squared)));
  }
  if (i < n) {
    const v = <f64>load<f32>(x + <usize>i * 4);
    const at = sums + <usize>i * 8;
    store<f64>(at, load<f64>(at) + (squared ? v * v : abs<f64>(v)));
  }
}

/** sums[g] += Σ |x| (p = 1) or Σ x² (p = 2); sums is f64. */
export function normGroupsChunk(x: usize, rows: i32, firstRow: i32, axisLength: i32, inner: i32, block: i32, p: i32, sums: usize, groupBase: i32): void {
  const squared = p == 2;
  if (inner == 1) {
    startRuns(firstRow, rows, axisLength, block, groupBase);
    while (nextRun()) {
      normRun(x, runLength, squared, sums + <usize>runGroup * 8);
      x += <usize>runLength * 4;
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    normRow(x, inner, squared, sums + <usize>rowGroup(firstRow + r, axisLength, inner, block, groupBase) * 8);
    x += <usize>inner * 4;
  }
}
