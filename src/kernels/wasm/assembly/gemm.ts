// @ts-nocheck — AssemblyScript, not TypeScript: compiled by asc (scripts/buildKernels.ts), excluded
// from tsc's checks by this line because it uses wasm types (f32, usize, v128) tsc does not know.
//
// Blocked SIMD gemm, GotoBLAS-style: C is first scaled by beta, then for each (NC columns, KC depth)
// block op(B) is packed into NR-wide panels, for each MC rows op(A) into MR-tall panels, and a 4×8
// register-tiled micro-kernel adds alpha · panelA · panelB into C. Packing absorbs both transposes
// and pads the ragged edges with zeros, so the micro-kernel has one shape and no branches inside.
// Sizes: a KC×NR panel of B (8 KB) stays in L1, an MC×KC block of A (128 KB) in L2.

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 2048;

function roundUp(value: i32, multiple: i32): i32 {
  return ((value + multiple - 1) / multiple) * multiple;
}

/** Bytes of scratch the host must pass to gemm for this shape. */
export function gemmWorkspaceBytes(m: i32, n: i32, k: i32): i32 {
  const kc = min(KC, max(k, 1));
  const packedA = roundUp(min(MC, max(m, 1)), MR) * kc;
  const packedB = roundUp(min(NC, max(n, 1)), NR) * kc;
  return (packedA + packedB + MR * NR) * 4;
}

/** Packs op(A)[rowStart.., depthStart..] (rows × depth) as MR-row panels laid out (depth, MR). */
function packA(a: usize, m: i32, k: i32, transA: bool, rowStart: i32, depthStart: i32, rows: i32, depth: i32, packed: usize): void {
  for (let panel = 0; panel < rows; panel += MR) {
    const panelRows = min(MR, rows - panel);
    const out = packed + <usize>(panel * depth) * 4;
    if (!transA && panelRows == MR) {
      // A stored (m, k): walk each row along depth, so reads are contiguous and writes stride by MR.
      for (let r = 0; r < MR; r++) {
        const source = a + <usize>((rowStart + panel + r) * k + depthStart) * 4;
        for (let p = 0; p < depth; p++) store<f32>(out + <usize>(p * MR + r) * 4, load<f32>(source + <usize>p * 4));
      }
      continue;
    }
    for (let p = 0; p < depth; p++) {
      const target = out + <usize>(p * MR) * 4;
      for (let r = 0; r < MR; r++) {
        let value: f32 = 0;
        if (r < panelRows) {
          const i = rowStart + panel + r;
          const q = depthStart + p;
          value = transA ? load<f32>(a + <usize>(q * m + i) * 4) : load<f32>(a + <usize>(i * k + q) * 4);
        }
        store<f32>(target + <usize>r * 4, value);
      }
    }
  }
}

/** Packs op(B)[depthStart.., colStart..] (depth × cols) as NR-column panels laid out (depth, NR). */
function packB(b: usize, n: i32, k: i32, transB: bool, depthStart: i32, colStart: i32, depth: i32, cols: i32, packed: usize): void {
  for (let panel = 0; panel < cols; panel += NR) {
    const panelCols = min(NR, cols - panel);
    const out = packed + <usize>(panel * depth) * 4;
    if (transB && panelCols == NR) {
      // B stored (n, k): walk each of the panel's columns along depth, reading contiguously.
      for (let j = 0; j < NR; j++) {
        const source = b + <usize>((colStart + panel + j) * k + depthStart) * 4;
        for (let p = 0; p < depth; p++) store<f32>(out + <usize>(p * NR + j) * 4, load<f32>(source + <usize>p * 4));
      }
      continue;
    }
    for (let p = 0; p < depth; p++) {
      const target = out + <usize>(p * NR) * 4;
      const q = depthStart + p;
      if (!transB && panelCols == NR) {
        // The common case: eight contiguous floats of one row of B.
        const source = b + <usize>(q * n + colStart + panel) * 4;
        v128.store(target, v128.load(source));
        v128.store(target, v128.load(source, 16), 16);
        continue;
      }
      for (let j = 0; j < NR; j++) {
        let value: f32 = 0;
        if (j < panelCols) {
          const column = colStart + panel + j;
          value = transB ? load<f32>(b + <usize>(column * k + q) * 4) : load<f32>(b + <usize>(q * n + column) * 4);
        }
        store<f32>(target + <usize>j * 4, value);
      }
    }
  }
}

/** C[0..rows, 0..cols] += alpha · (MR×depth panel of A) · (depth×NR panel of B); ldc in floats. */
function microKernel(panelA: usize, panelB: usize, depth: i32, c: usize, ldc: i32, alpha: f32, rows: i32, cols: i32, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let ap = panelA;
  let bp = panelB;
  for (let p = 0; p < depth; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16;
    bp += 32;
  }
  const scale = f32x4.splat(alpha);
  const stride = <usize>ldc * 4;
  if (rows == MR && cols == NR) {
    let row = c;
    v128.store(row, f32x4.add(v128.load(row), f32x4.mul(scale, c00)));
    v128.store(row, f32x4.add(v128.load(row, 16), f32x4.mul(scale, c01)), 16);
    row += stride;
    v128.store(row, f32x4.add(v128.load(row), f32x4.mul(scale, c10)));
    v128.store(row, f32x4.add(v128.load(row, 16), f32x4.mul(scale, c11)), 16);
    row += stride;
    v128.store(row, f32x4.add(v128.load(row), f32x4.mul(scale, c20)));
    v128.store(row, f32x4.add(v128.load(row, 16), f32x4.mul(scale, c21)), 16);
    row += stride;
    v128.store(row, f32x4.add(v128.load(row), f32x4.mul(scale, c30)));
    v128.store(row, f32x4.add(v128.load(row, 16), f32x4.mul(scale, c31)), 16);
    return;
  }
  // A ragged edge: spill the whole tile, then add only the entries that exist in C.
  v128.store(tile, f32x4.mul(scale, c00));
  v128.store(tile, f32x4.mul(scale, c01), 16);
  v128.store(tile, f32x4.mul(scale, c10), 32);
  v128.store(tile, f32x4.mul(scale, c11), 48);
  v128.store(tile, f32x4.mul(scale, c20), 64);
  v128.store(tile, f32x4.mul(scale, c21), 80);
  v128.store(tile, f32x4.mul(scale, c30), 96);
  v128.store(tile, f32x4.mul(scale, c31), 112);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const target = c + <usize>r * stride + <usize>j * 4;
      store<f32>(target, load<f32>(target) + load<f32>(tile + <usize>(r * NR + j) * 4));
    }
  }
}

/** C (m, n) = alpha · op(A) · op(B) + beta · C, with `workspace` of gemmWorkspaceBytes(m, n, k) bytes. */
export function gemm(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: bool, transB: bool, alpha: f32, beta: f32, workspace: usize): void {
  const count = m * n;
  if (beta == 0) {
    // Overwrite rather than multiply, so NaN or garbage already in C never survives.
    memory.fill(c, 0, <usize>count * 4);
  } else if (beta != 1) {
    const factor = f32x4.splat(beta);
    let i = 0;
    for (; i + 4 <= count; i += 4) {
      const at = c + <usize>i * 4;
      v128.store(at, f32x4.mul(v128.load(at), factor));
    }
    for (; i < count; i++) {
      const at = c + <usize>i * 4;
      store<f32>(at, load<f32>(at) * beta);
    }
  }
  if (k == 0) return;
  const blockK = min(KC, k);
  const packedA = workspace;
  const packedB = workspace + <usize>(roundUp(min(MC, m), MR) * blockK) * 4;
  const tile = packedB + <usize>(roundUp(min(NC, n), NR) * blockK) * 4;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(b, n, k, transB, pc, jc, kc, nc, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(a, m, k, transA, ic, pc, mc, kc, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const panelB = packedB + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const target = c + <usize>((ic + ir) * n + jc + jr) * 4;
            microKernel(packedA + <usize>(ir * kc) * 4, panelB, kc, target, n, alpha, rows, cols, tile);
          }
        }
      }
    }
  }
}
