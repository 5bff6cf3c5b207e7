// The JS reference of the passes' kernels: plain loops, one per method of PassKernels, float64
// wherever something accumulates. Every other backend is tested against these; they are also the
// fallback where WebAssembly is unavailable.
import { checkGroupLayout, groupCount, type GroupLayout, type PassKernels, type SingularValueDecomposition } from '../PassKernels';

/**
 * Calls visit(elementIndex, groupIndex) for every element of a grouped layout, in memory order.
 * Group index of (o, a, i) is (o · ceil(axisLength / block) + floor(a / block)) · inner + i.
 */
function forEachElement(layout: GroupLayout, visit: (element: number, group: number) => void): void {
  const { outer, axisLength, inner, block } = layout;
  const blocksPerAxis = Math.ceil(axisLength / block);
  let element = 0;
  for (let o = 0; o < outer; o++) {
    for (let a = 0; a < axisLength; a++) {
      const groupRow = (o * blocksPerAxis + Math.floor(a / block)) * inner;
      for (let i = 0; i < inner; i++) visit(element++, groupRow + i);
    }
  }
}

/** Rounds to the nearest integer, ties to the even one (ONNX QuantizeLinear, IEEE roundTiesToEven). */
export function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction < 0.5) return floor;
  if (fraction > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * One element's quantized value, as ONNX QuantizeLinear computes it: the division in float32, then
 * round half to even, then the zero point, then saturation. NaN quantizes to the zero point.
 */
function quantizeValue(x: number, scale: number, zeroPoint: number, qmin: number, qmax: number): number {
  const rounded = roundHalfToEven(Math.fround(x / scale));
  const shifted = (Number.isNaN(rounded) ? 0 : rounded) + zeroPoint;
  return Math.min(qmax, Math.max(qmin, shifted));
}

export function checkQuantizationRange(kernel: string, qmin: number, qmax: number, out: Int8Array | Uint8Array): void {
  const [lowest, highest] = out instanceof Int8Array ? [-128, 127] : [0, 255];
  if (!Number.isInteger(qmin) || !Number.isInteger(qmax) || qmin > qmax || qmin < lowest || qmax > highest) {
    throw new RangeError(`${kernel}: range [${qmin}, ${qmax}] does not fit the ${out instanceof Int8Array ? 'Int8Array' : 'Uint8Array'} output`);
  }
}

/** Zero points must be representable in the quantized range (ONNX stores them in the same type). */
export function checkZeroPoints(kernel: string, zeroPoint: Int32Array, groups: number, qmin: number, qmax: number): void {
  for (let g = 0; g < groups; g++) {
    const z = zeroPoint[g]!;
    if (!(z >= qmin && z <= qmax)) throw new RangeError(`${kernel}: zero point ${z} of group ${g} is outside the range [${qmin}, ${qmax}]`);
  }
}

/**
 * The argument checks every backend's quantize, dequantize and fake-quantize make, so they fail
 * with the same messages: the layout fits, the output is long enough, and — where values are
 * quantized — the range is an integer range the output type holds and every zero point lies in it.
 */
export function checkQuantizeArguments(
  kernel: string,
  values: ArrayLike<number>,
  layout: GroupLayout,
  scale: Float32Array,
  zeroPoint: Int32Array,
  out: ArrayLike<number>,
  range?: { qmin: number; qmax: number },
): void {
  checkGroupLayout(kernel, layout, values.length, scale, zeroPoint);
  if (range) {
    const { qmin, qmax } = range;
    if (out instanceof Int8Array || out instanceof Uint8Array) checkQuantizationRange(kernel, qmin, qmax, out);
    else if (!Number.isInteger(qmin) || !Number.isInteger(qmax) || qmin > qmax) throw new RangeError(`${kernel}: [${qmin}, ${qmax}] is not an integer range`);
    checkZeroPoints(kernel, zeroPoint, groupCount(layout), qmin, qmax);
  }
  if (out.length < values.length) throw new RangeError(`${kernel}: out holds ${out.length} values, needs ${values.length}`);
}

/** The bin of one value; below lo goes to 0, at or above hi to the last bin (so hi = lo is allowed). */
export function histogramBin(v: number, lo: number, hi: number, bins: number): number {
  if (v < lo) return 0;
  if (v >= hi) return bins - 1;
  return Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins));
}

/** Hoare's quickselect on a scratch array: the k-th smallest value (0-based). */
function quickselect(values: Float32Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (left < right) {
    const pivot = values[(left + right) >>> 1]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i++] = values[j]!;
        values[j--] = swap;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return values[k]!;
  }
  return values[k]!;
}

/** The centroid nearest x by |x − c| computed in float64, ties to the lower index. */
function nearestCentroid(x: number, centroids: Float32Array): number {
  let best = 0;
  let bestDistance = Math.abs(x - centroids[0]!);
  for (let c = 1; c < centroids.length; c++) {
    const distance = Math.abs(x - centroids[c]!);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = c;
    }
  }
  return best;
}

export function checkKmeansArguments(x: Float32Array, centroids: Float32Array, assignment: Uint8Array | Uint16Array, sums: Float64Array, counts: Float64Array): void {
  const k = centroids.length;
  const limit = assignment instanceof Uint8Array ? 256 : 65536;
  if (k < 1 || k > limit) throw new RangeError(`kmeansAssign: ${k} centroids do not fit a ${assignment instanceof Uint8Array ? 'Uint8Array' : 'Uint16Array'} assignment (1 to ${limit})`);
  if (assignment.length < x.length) throw new RangeError(`kmeansAssign: assignment holds ${assignment.length} entries, needs ${x.length}`);
  if (sums.length < k || counts.length < k) throw new RangeError(`kmeansAssign: sums and counts need ${k} entries, hold ${sums.length} and ${counts.length}`);
  const missing = centroids.findIndex(Number.isNaN);
  if (missing >= 0) throw new RangeError(`kmeansAssign: centroid ${missing} is NaN`);
}

export function checkSvdArguments(a: Float32Array, m: number, n: number): void {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 1 || n < 1) throw new RangeError(`svd: shape (${m}, ${n}) is not a matrix`);
  if (a.length !== m * n) throw new RangeError(`svd: a holds ${a.length} values, shape (${m}, ${n}) needs ${m * n}`);
}

/**
 * One-sided Jacobi (Hestenes) on the columns of a tall matrix, float64 throughout. `columns` holds
 * the (rows, cols) matrix column by column and is rotated until its columns are mutually
 * orthogonal; `v` (cols, cols, column by column) accumulates the rotations. Returns the sweeps used.
 */
export function jacobiOrthogonalize(columns: Float64Array, rows: number, cols: number, v: Float64Array): number {
  v.fill(0);
  for (let j = 0; j < cols; j++) v[j * cols + j] = 1;
  const maxSweeps = 60;
  for (let sweep = 1; sweep <= maxSweeps; sweep++) {
    let rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      for (let q = p + 1; q < cols; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < rows; i++) {
          const x = columns[p * rows + i]!;
          const y = columns[q * rows + i]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotateColumns(columns, rows, p, q, c, s);
        rotateColumns(v, cols, p, q, c, s);
      }
    }
    if (!rotated) return sweep;
  }
  return maxSweeps;
}

function rotateColumns(matrix: Float64Array, rows: number, p: number, q: number, c: number, s: number): void {
  for (let i = 0; i < rows; i++) {
    const x = matrix[p * rows + i]!;
    const y = matrix[q * rows + i]!;
    matrix[p * rows + i] = c * x - s * y;
    matrix[q * rows + i] = s * x + c * y;
  }
}

/**
 * Turns orthogonalized columns into a thin SVD: singular values are the column norms (sorted
 * descending), left vectors the normalized columns; columns of zero norm are completed to an
 * orthonormal set by Gram–Schmidt on unit vectors, so u always has orthonormal columns.
 * `transposed` says the columns came from Aᵀ, whose left and right factors swap.
 */
export function assembleSvd(columns: Float64Array, rows: number, cols: number, v: Float64Array, transposed: boolean): SingularValueDecomposition {
  const norms = Array.from({ length: cols }, (_, j) => {
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += columns[j * rows + i]! ** 2;
    return Math.sqrt(sum);
  });
  const order = norms.map((_, j) => j).sort((x, y) => norms[y]! - norms[x]! || x - y);
  const largest = norms[order[0]!]!;
  const tolerance = Math.max(rows, cols) * 2.220446049250313e-16 * largest;
  const rank = order.filter((j) => norms[j]! > tolerance).length;

  // left: (rows, cols) column by column, orthonormal; right: the matching columns of v.
  const left = new Float64Array(rows * cols);
  order.forEach((source, target) => {
    if (target >= rank) return;
    for (let i = 0; i < rows; i++) left[target * rows + i] = columns[source * rows + i]! / norms[source]!;
  });
  completeOrthonormalColumns(left, rows, cols, rank);

  const s = Float32Array.from(order, (j, target) => (target < rank ? norms[j]! : 0));
  const big = new Float32Array(rows * cols); // (rows, cols) row-major from the left factor
  const small = new Float32Array(cols * cols); // (cols, cols) row-major: row r = right vector r
  for (let r = 0; r < cols; r++) {
    for (let i = 0; i < rows; i++) big[i * cols + r] = left[r * rows + i]!;
    for (let j = 0; j < cols; j++) small[r * cols + j] = v[order[r]! * cols + j]!;
  }
  if (!transposed) return { u: big, s, vt: small, rank };
  // A = (Aᵀ)ᵀ = (U S Vᵀ)ᵀ = V S Uᵀ: u = V (cols, cols) and vt = Uᵀ (cols, rows).
  const u = new Float32Array(cols * cols);
  for (let i = 0; i < cols; i++) for (let r = 0; r < cols; r++) u[i * cols + r] = small[r * cols + i]!;
  const vt = new Float32Array(cols * rows);
  for (let r = 0; r < cols; r++) for (let i = 0; i < rows; i++) vt[r * rows + i] = big[i * cols + r]!;
  return { u, s, vt, rank };
}

/** Fills columns from..cols-1 of an orthonormal column set with unit vectors made orthogonal to it. */
function completeOrthonormalColumns(left: Float64Array, rows: number, cols: number, from: number): void {
  let candidate = 0;
  for (let target = from; target < cols; target++) {
    for (; candidate < rows; candidate++) {
      const column = new Float64Array(rows);
      column[candidate] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let r = 0; r < target; r++) {
          let dot = 0;
          for (let i = 0; i < rows; i++) dot += left[r * rows + i]! * column[i]!;
          for (let i = 0; i < rows; i++) column[i]! -= dot * left[r * rows + i]!;
        }
      }
      let norm = 0;
      for (let i = 0; i < rows; i++) norm += column[i]! ** 2;
      norm = Math.sqrt(norm);
      if (norm > 0.5) {
        for (let i = 0; i < rows; i++) left[target * rows + i] = column[i]! / norm;
        candidate++;
        break;
      }
    }
  }
}

/**
 * The tall one of A (m, n) and Aᵀ as float64 columns: column j is column j of A, or row j of A
 * when A is wide (transposed).
 */
export function tallColumns(a: Float32Array, m: number, n: number): { columns: Float64Array; rows: number; cols: number; transposed: boolean } {
  const transposed = m < n;
  const [rows, cols] = transposed ? [n, m] : [m, n];
  const columns = new Float64Array(rows * cols);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      if (transposed) columns[i * n + j] = a[i * n + j]!;
      else columns[j * m + i] = a[i * n + j]!;
    }
  }
  return { columns, rows, cols, transposed };
}

/** Thin SVD by one-sided Jacobi on whichever of A and Aᵀ is tall. */
function svdReference(a: Float32Array, m: number, n: number): SingularValueDecomposition {
  checkSvdArguments(a, m, n);
  const { columns, rows, cols, transposed } = tallColumns(a, m, n);
  const v = new Float64Array(cols * cols);
  jacobiOrthogonalize(columns, rows, cols, v);
  return assembleSvd(columns, rows, cols, v, transposed);
}

export function createJsPassKernels(): PassKernels {
  return {
    name: 'js',

    minMaxGroups(x, layout, min, max) {
      checkGroupLayout('minMaxGroups', layout, x.length, min, max);
      min.fill(Infinity, 0, groupCount(layout));
      max.fill(-Infinity, 0, groupCount(layout));
      forEachElement(layout, (e, g) => {
        const v = x[e]!;
        if (v < min[g]!) min[g] = v;
        if (v > max[g]!) max[g] = v;
      });
    },

    absMaxGroups(x, layout, out) {
      checkGroupLayout('absMaxGroups', layout, x.length, out);
      out.fill(0, 0, groupCount(layout));
      forEachElement(layout, (e, g) => {
        const v = Math.abs(x[e]!);
        if (v > out[g]!) out[g] = v;
      });
    },

    normGroups(x, layout, p, out) {
      checkGroupLayout('normGroups', layout, x.length, out);
      const sums = new Float64Array(groupCount(layout));
      forEachElement(layout, (e, g) => {
        sums[g]! += p === 1 ? Math.abs(x[e]!) : x[e]! * x[e]!;
      });
      for (let g = 0; g < sums.length; g++) out[g] = p === 1 ? sums[g]! : Math.sqrt(sums[g]!);
    },

    quantizeGroups(x, layout, scale, zeroPoint, qmin, qmax, out) {
      checkQuantizeArguments('quantizeGroups', x, layout, scale, zeroPoint, out, { qmin, qmax });
      forEachElement(layout, (e, g) => {
        out[e] = quantizeValue(x[e]!, scale[g]!, zeroPoint[g]!, qmin, qmax);
      });
    },

    dequantizeGroups(q, layout, scale, zeroPoint, out) {
      checkQuantizeArguments('dequantizeGroups', q, layout, scale, zeroPoint, out);
      forEachElement(layout, (e, g) => {
        out[e] = (q[e]! - zeroPoint[g]!) * scale[g]!;
      });
    },

    fakeQuantizeGroups(x, layout, scale, zeroPoint, qmin, qmax, out) {
      checkQuantizeArguments('fakeQuantizeGroups', x, layout, scale, zeroPoint, out, { qmin, qmax });
      forEachElement(layout, (e, g) => {
        out[e] = (quantizeValue(x[e]!, scale[g]!, zeroPoint[g]!, qmin, qmax) - zeroPoint[g]!) * scale[g]!;
      });
    },

    histogram(x, lo, hi, absolute, counts) {
      if (!(hi >= lo) || counts.length < 1) throw new RangeError(`histogram: needs lo ≤ hi and at least one bin (got [${lo}, ${hi}), ${counts.length} bins)`);
      for (let e = 0; e < x.length; e++) {
        const v = absolute ? Math.abs(x[e]!) : x[e]!;
        if (!Number.isNaN(v)) counts[histogramBin(v, lo, hi, counts.length)]! += 1;
      }
    },

    kthSmallestMagnitude(x, k) {
      if (!Number.isInteger(k) || k < 0 || k >= x.length) throw new RangeError(`kthSmallestMagnitude: k = ${k} is outside 0..${x.length - 1}`);
      const magnitudes = x.map(Math.abs);
      return quickselect(magnitudes, k);
    },

    countNonzero(x) {
      let count = 0;
      for (let e = 0; e < x.length; e++) if (x[e] !== 0) count++;
      return count;
    },

    kmeansAssign(x, centroids, assignment, sums, counts) {
      checkKmeansArguments(x, centroids, assignment, sums, counts);
      let inertia = 0;
      for (let e = 0; e < x.length; e++) {
        const v = x[e]!;
        const c = nearestCentroid(v, centroids);
        assignment[e] = c;
        sums[c]! += v;
        counts[c]! += 1;
        const distance = v - centroids[c]!;
        inertia += distance * distance;
      }
      return inertia;
    },

    svd: svdReference,
  };
}
