// WGSL tiled gemm: each 16×16 workgroup computes a 64×64 tile of C, each invocation a 4×4 block of
// it, stepping through k in slices of 16 staged in workgroup memory. Loads are bounds-checked (zero
// outside), so any m, n, k works; transA/transB only change how a slice is read, and each branch
// keeps consecutive invocations on consecutive addresses. Offsets let conv address one image.

export const GEMM_TILE = 64;

/** Layout of the uniform block, in 4-byte words; must match `GemmParams` below. */
export const GEMM_PARAM_WORDS = 12;

export const GEMM_SHADER = /* wgsl */ `
struct GemmParams {
  m: u32, n: u32, k: u32, transA: u32,
  transB: u32, aOffset: u32, bOffset: u32, cOffset: u32,
  alpha: f32, beta: f32, pad0: u32, pad1: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> params: GemmParams;

const TILE: u32 = 64u;
const DEPTH: u32 = 16u;
// tileA[p * TILE + row], tileB[p * TILE + col]: one k-slice of op(A) and op(B).
var<workgroup> tileA: array<f32, 1024>;
var<workgroup> tileB: array<f32, 1024>;

fn readA(row: u32, depth: u32) -> f32 {
  if (row >= params.m || depth >= params.k) { return 0.0; }
  if (params.transA != 0u) { return a[params.aOffset + depth * params.m + row]; }
  return a[params.aOffset + row * params.k + depth];
}

fn readB(depth: u32, col: u32) -> f32 {
  if (depth >= params.k || col >= params.n) { return 0.0; }
  if (params.transB != 0u) { return b[params.bOffset + col * params.k + depth]; }
  return b[params.bOffset + depth * params.n + col];
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_id) local: vec3<u32>) {
  let rowBase = group.y * TILE;
  let colBase = group.x * TILE;
  let flat = local.y * 16u + local.x;
  var sum: array<f32, 16>;
  for (var i = 0u; i < 16u; i++) { sum[i] = 0.0; }

  for (var slice = 0u; slice < params.k; slice += DEPTH) {
    for (var step = 0u; step < 4u; step++) {
      let e = flat + step * 256u;
      // A stored (m, k) is contiguous along depth; stored (k, m) (transA) along rows.
      var p = e % DEPTH;
      var r = e / DEPTH;
      if (params.transA != 0u) { p = e / TILE; r = e % TILE; }
      tileA[p * TILE + r] = readA(rowBase + r, slice + p);
      // B stored (k, n) is contiguous along columns; stored (n, k) (transB) along depth.
      var q = e / TILE;
      var col = e % TILE;
      if (params.transB != 0u) { q = e % DEPTH; col = e / DEPTH; }
      tileB[q * TILE + col] = readB(slice + q, colBase + col);
    }
    workgroupBarrier();
    for (var p = 0u; p < DEPTH; p++) {
      var left: array<f32, 4>;
      var right: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        left[i] = tileA[p * TILE + local.y * 4u + i];
        right[i] = tileB[p * TILE + local.x * 4u + i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) {
          sum[i * 4u + j] = sum[i * 4u + j] + left[i] * right[j];
        }
      }
    }
    workgroupBarrier();
  }

  for (var i = 0u; i < 4u; i++) {
    let row = rowBase + local.y * 4u + i;
    for (var j = 0u; j < 4u; j++) {
      let col = colBase + local.x * 4u + j;
      if (row < params.m && col < params.n) {
        let at = params.cOffset + row * params.n + col;
        // beta 0 overwrites without reading: C's old contents (even NaN) must not leak through.
        if (params.beta == 0.0) {
          c[at] = params.alpha * sum[i * 4u + j];
        } else {
          c[at] = params.alpha * sum[i * 4u + j] + params.beta * c[at];
        }
      }
    }
  }
}
`;
