// @ts-nocheck — AssemblyScript (see gemm.ts).
//
// The O(n³) heart of the SVD: one-sided Jacobi (Hestenes) in f64, the same rotations in the same
// order as the JS reference's jacobiOrthogonalize, with the three column dot products and the
// rotations two lanes at a time. The host builds the tall matrix column by column and turns the
// orthogonal columns into u, s, vt itself (sorting and completion are O(n²)).

const MAX_SWEEPS: i32 = 60;

/** Rotates columns p and q of a column-major (rows × ·) f64 matrix: (x, y) ← (c·x − s·y, s·x + c·y). */
function rotate(matrix: usize, rows: i32, p: i32, q: i32, c: f64, s: f64): void {
  const columnP = matrix + <usize>p * <usize>rows * 8;
  const columnQ = matrix + <usize>q * <usize>rows * 8;
  const cc = f64x2.splat(c);
  const ss = f64x2.splat(s);
  let i = 0;
  for (; i + 2 <= rows; i += 2) {
    const at = <usize>i * 8;
    const x = v128.load(columnP + at);
    const y = v128.load(columnQ + at);
    v128.store(columnP + at, f64x2.sub(f64x2.mul(cc, x), f64x2.mul(ss, y)));
    v128.store(columnQ + at, f64x2.add(f64x2.mul(ss, x), f64x2.mul(cc, y)));
  }
  if (i < rows) {
    const at = <usize>i * 8;
    const x = load<f64>(columnP + at);
    const y = load<f64>(columnQ + at);
    store<f64>(columnP + at, c * x - s * y);
    store<f64>(columnQ + at, s * x + c * y);
  }
}

/**
 * Orthogonalizes the columns of `columns` (rows × cols, column-major, f64) in place, accumulating
 * the rotations into `v` (cols × cols, column-major, set to the identity here). Returns the sweeps.
 */
export function jacobiOrthogonalize(columns: usize, rows: i32, cols: i32, v: usize): i32 {
  memory.fill(v, 0, <usize>cols * <usize>cols * 8);
  for (let j = 0; j < cols; j++) store<f64>(v + (<usize>j * <usize>cols + <usize>j) * 8, 1);
  for (let sweep = 1; sweep <= MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      const columnP = columns + <usize>p * <usize>rows * 8;
      for (let q = p + 1; q < cols; q++) {
        const columnQ = columns + <usize>q * <usize>rows * 8;
        let alphaLanes = f64x2.splat(0);
        let betaLanes = f64x2.splat(0);
        let gammaLanes = f64x2.splat(0);
        let i = 0;
        for (; i + 2 <= rows; i += 2) {
          const at = <usize>i * 8;
          const x = v128.load(columnP + at);
          const y = v128.load(columnQ + at);
          alphaLanes = f64x2.add(alphaLanes, f64x2.mul(x, x));
          betaLanes = f64x2.add(betaLanes, f64x2.mul(y, y));
          gammaLanes = f64x2.add(gammaLanes, f64x2.mul(x, y));
        }
        let alpha = f64x2.extract_lane(alphaLanes, 0) + f64x2.extract_lane(alphaLanes, 1);
        let beta = f64x2.extract_lane(betaLanes, 0) + f64x2.extract_lane(betaLanes, 1);
        let gamma = f64x2.extract_lane(gammaLanes, 0) + f64x2.extract_lane(gammaLanes, 1);
        if (i < rows) {
          const x = load<f64>(columnP + <usize>i * 8);
          const y = load<f64>(columnQ + <usize>i * 8);
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma == 0 || abs<f64>(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1.0 : -1.0) / (abs<f64>(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotate(columns, rows, p, q, c, s);
        rotate(v, cols, p, q, c, s);
      }
    }
    if (!rotated) return sweep;
  }
  return MAX_SWEEPS;
}
