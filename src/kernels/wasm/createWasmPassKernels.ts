// The WebAssembly SIMD build of the passes' kernels (PassKernels), running in kernels.wasm next to
// the training kernels. Weight tensors reach 100 M+ floats, so nothing is staged whole: every kernel
// streams its arrays through a ScratchArena in cache-sized chunks of whole rows, together with a
// window of the per-group entries (scales, zero points, running statistics) those rows touch —
// group indices grow with the element index, so that is one contiguous range per chunk.
import { checkGroupLayout, groupCount, type GroupLayout, type PassKernels } from '../PassKernels';
import { assembleSvd, checkKmeansArguments, checkQuantizeArguments, checkSvdArguments, tallColumns } from '../js/passKernels';
import { instantiateKernelsModule } from './loadKernelsModule';
import { ScratchArena } from './ScratchArena';

/** The pass kernels' exports of kernels.wasm (see assembly/index.ts); pointers are byte offsets. */
export interface PassKernelsModuleExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  minMaxGroupsChunk(x: number, rows: number, firstRow: number, axisLength: number, inner: number, block: number, min: number, max: number, groupBase: number): void;
  absMaxGroupsChunk(x: number, rows: number, firstRow: number, axisLength: number, inner: number, block: number, out: number, groupBase: number): void;
  normGroupsChunk(x: number, rows: number, firstRow: number, axisLength: number, inner: number, block: number, p: number, sums: number, groupBase: number): void;
  quantizeGroupsChunk(x: number, rows: number, firstRow: number, axisLength: number, inner: number, block: number, scale: number, zeroPoint: number, groupBase: number, qmin: number, qmax: number, out: number, signed: number): void;
  dequantizeGroupsChunk(q: number, rows: number, firstRow: number, axisLength: number, inner: number, block: number, scale: number, zeroPoint: number, groupBase: number, out: number, signed: number): void;
  fakeQuantizeGroupsChunk(x: number, rows: number, firstRow: number, axisLength: number, inner: number, block: number, scale: number, zeroPoint: number, groupBase: number, qmin: number, qmax: number, out: number): void;
  histogramChunk(x: number, n: number, lo: number, hi: number, absolute: number, counts: number, bins: number): void;
  countNonzeroChunk(x: number, n: number): number;
  magnitudeDigitHistogramChunk(x: number, n: number, prefixMask: number, prefix: number, shift: number, digitMask: number, counts: number): void;
  kmeansAssignChunk(x: number, n: number, centroids: number, sorted: number, indices: number, unique: number, assignment: number, wide: number, sums: number, counts: number, inertia: number): number;
  jacobiOrthogonalize(columns: number, rows: number, cols: number, v: number): number;
}

export interface WasmPassKernels extends PassKernels {
  readonly name: 'wasm';
}

/** Instantiates kernels.wasm (from disk in Node, fetched in a browser); `bytes` overrides the source. */
export async function createWasmPassKernels(bytes?: ArrayBuffer | Uint8Array): Promise<WasmPassKernels> {
  return wasmPassKernelsFrom((await instantiateKernelsModule(bytes)) as unknown as PassKernelsModuleExports);
}

/** Elements per streamed chunk: 64 KB of floats, so a chunk and its outputs stay in L2. */
export const PASS_STREAM_CHUNK = 16384;

type TypedArray = Float32Array | Float64Array | Int32Array | Int8Array | Uint8Array | Uint16Array;
type TypedArrayConstructor = new (buffer: ArrayBufferLike) => TypedArray;

/** Views of the module's memory by element type, retaken whenever growth replaces the buffer. */
class MemoryViews {
  private buffer: ArrayBufferLike | null = null;
  private readonly views = new Map<TypedArrayConstructor, TypedArray>();

  constructor(private readonly memory: WebAssembly.Memory) {}

  private viewLike(array: TypedArray): TypedArray {
    if (this.buffer !== this.memory.buffer) {
      this.buffer = this.memory.buffer;
      this.views.clear();
    }
    const type = array.constructor as TypedArrayConstructor;
    let view = this.views.get(type);
    if (!view) this.views.set(type, (view = new type(this.buffer)));
    return view;
  }

  /** Copies values[start, end) to byte offset `at`. */
  write(at: number, values: TypedArray, start = 0, end = values.length): void {
    (this.viewLike(values) as Float32Array).set(values.subarray(start, end) as Float32Array, at / values.BYTES_PER_ELEMENT);
  }

  /** Copies end − start elements from byte offset `at` into into[start, end). */
  read(at: number, into: TypedArray, start = 0, end = into.length): void {
    const first = at / into.BYTES_PER_ELEMENT;
    (into as Float32Array).set(this.viewLike(into).subarray(first, first + end - start) as Float32Array, start);
  }

  fill(at: number, like: TypedArray, length: number, value: number): void {
    const first = at / like.BYTES_PER_ELEMENT;
    this.viewLike(like).fill(value, first, first + length);
  }
}

/** One chunk of whole rows and the contiguous group range [groupStart, groupEnd) they touch. */
interface RowChunk {
  firstRow: number;
  rows: number;
  start: number;
  end: number;
  groupStart: number;
  groupEnd: number;
}

/** Cuts a layout into chunks of whole rows of about PASS_STREAM_CHUNK elements (at least one row). */
function forEachRowChunk(layout: GroupLayout, visit: (chunk: RowChunk) => void): void {
  const { outer, axisLength, inner, block } = layout;
  const blocksPerAxis = Math.ceil(axisLength / block);
  const groupOfRow = (row: number) => (Math.floor(row / axisLength) * blocksPerAxis + Math.floor((row % axisLength) / block)) * inner;
  const totalRows = outer * axisLength;
  const rowsPerChunk = Math.max(1, Math.floor(PASS_STREAM_CHUNK / inner));
  for (let firstRow = 0; firstRow < totalRows; firstRow += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, totalRows - firstRow);
    visit({ firstRow, rows, start: firstRow * inner, end: (firstRow + rows) * inner, groupStart: groupOfRow(firstRow), groupEnd: groupOfRow(firstRow + rows - 1) + inner });
  }
}

/** Largest chunk in elements, which also bounds the groups one chunk touches. */
const chunkCapacity = (layout: GroupLayout) => Math.max(1, Math.floor(PASS_STREAM_CHUNK / layout.inner)) * layout.inner;

/**
 * Where in a 4 KB page each staging block starts. Large JS typed arrays begin on page boundaries and
 * chunks are whole pages, so a staging block that also began on one would make every copy in or out
 * read and write addresses 4 KB apart — the CPU then mistakes loads for dependents of earlier stores
 * ("4K aliasing"), which measured 3.5× slower copies out of wasm memory. Off-page blocks avoid it.
 */
const STAGING_PAGE_OFFSET = 2048;
const PAGE = 4096;

export function wasmPassKernelsFrom(wasm: PassKernelsModuleExports): WasmPassKernels {
  const arena = new ScratchArena(wasm.memory, wasm.heapBase());

  /** Reserves staging blocks for one call, each starting a distinct distance past a page boundary. */
  function reserveStaging(...byteSizes: number[]): number[] {
    return arena.reserve(...byteSizes.map((bytes) => bytes + PAGE)).map((at, i) => {
      const target = (STAGING_PAGE_OFFSET + 64 * i) % PAGE;
      return at + ((target - (at % PAGE) + PAGE) % PAGE);
    });
  }
  const memory = new MemoryViews(wasm.memory);
  const shape = (layout: GroupLayout, chunk: RowChunk) => [chunk.rows, chunk.firstRow, layout.axisLength, layout.inner, layout.block] as const;

  /**
   * Streams x through the arena by row chunks together with per-group arrays: `groupInputs` are
   * copied in, `groupOutputs` in and back out (running statistics that accumulate across chunks).
   * The groups stay staged as a window of up to `capacity` entries, moved only when a chunk's range
   * leaves it: per-channel scales travel once per call, and the rows of one block share one copy.
   * `run` gets the window's first group as the base of the staged group addresses.
   */
  function streamGroups(x: Float32Array | Int8Array | Uint8Array, layout: GroupLayout, groupInputs: TypedArray[], groupOutputs: TypedArray[], elementOutput: TypedArray | null, run: (xAt: number, groupsAt: number[], outAt: number, chunk: RowChunk, groupBase: number) => void): void {
    const capacity = chunkCapacity(layout);
    const groups = groupCount(layout);
    const groupArrays = [...groupInputs, ...groupOutputs];
    const [xAt, outAt, ...groupsAt] = reserveStaging(capacity * x.BYTES_PER_ELEMENT, capacity * (elementOutput?.BYTES_PER_ELEMENT ?? 0), ...groupArrays.map((array) => capacity * array.BYTES_PER_ELEMENT)) as [number, number, ...number[]];
    let windowStart = 0;
    let windowEnd = 0; // empty until the first chunk
    const flushOutputs = () => groupOutputs.forEach((array, i) => memory.read(groupsAt[groupInputs.length + i]!, array, windowStart, windowEnd));
    forEachRowChunk(layout, (chunk) => {
      if (chunk.groupStart < windowStart || chunk.groupEnd > windowEnd) {
        flushOutputs();
        windowStart = chunk.groupStart;
        windowEnd = Math.min(groups, windowStart + capacity); // ≥ groupEnd: a chunk touches ≤ capacity groups
        groupArrays.forEach((array, i) => memory.write(groupsAt[i]!, array, windowStart, windowEnd));
      }
      memory.write(xAt, x, chunk.start, chunk.end);
      run(xAt, groupsAt, outAt, chunk, windowStart);
      if (elementOutput) memory.read(outAt, elementOutput, chunk.start, chunk.end);
    });
    flushOutputs();
  }

  /** Streams a flat array through the arena in chunks; `run` gets each chunk's address and length. */
  function streamFlat(x: Float32Array, run: (xAt: number, count: number) => void, reservedAt?: number): void {
    const xAt = reservedAt ?? reserveStaging(Math.min(x.length, PASS_STREAM_CHUNK) * 4)[0]!;
    for (let start = 0; start < x.length; start += PASS_STREAM_CHUNK) {
      const end = Math.min(x.length, start + PASS_STREAM_CHUNK);
      memory.write(xAt, x, start, end);
      run(xAt, end - start);
    }
  }

  /** Counts of one digit of the radix select over |x|'s bits, restricted to a prefix. */
  function digitCounts(x: Float32Array, prefixMask: number, prefix: number, shift: number, digitMask: number): Int32Array {
    const digits = digitMask + 1;
    const [countsAt, xAt] = reserveStaging(digits * 4, Math.min(x.length, PASS_STREAM_CHUNK) * 4) as [number, number];
    const counts = new Int32Array(digits);
    memory.fill(countsAt, counts, digits, 0);
    streamFlat(x, (at, count) => wasm.magnitudeDigitHistogramChunk(at, count, prefixMask, prefix, shift, digitMask, countsAt), xAt);
    memory.read(countsAt, counts);
    return counts;
  }

  return {
    name: 'wasm',

    minMaxGroups(x, layout, min, max) {
      checkGroupLayout('minMaxGroups', layout, x.length, min, max);
      min.fill(Infinity, 0, groupCount(layout));
      max.fill(-Infinity, 0, groupCount(layout));
      streamGroups(x, layout, [], [min, max], null, (xAt, [minAt, maxAt], _, chunk, groupBase) => wasm.minMaxGroupsChunk(xAt, ...shape(layout, chunk), minAt!, maxAt!, groupBase));
    },

    absMaxGroups(x, layout, out) {
      checkGroupLayout('absMaxGroups', layout, x.length, out);
      out.fill(0, 0, groupCount(layout));
      streamGroups(x, layout, [], [out], null, (xAt, [outAt], _, chunk, groupBase) => wasm.absMaxGroupsChunk(xAt, ...shape(layout, chunk), outAt!, groupBase));
    },

    normGroups(x, layout, p, out) {
      checkGroupLayout('normGroups', layout, x.length, out);
      const sums = new Float64Array(groupCount(layout));
      streamGroups(x, layout, [], [sums], null, (xAt, [sumsAt], _, chunk, groupBase) => wasm.normGroupsChunk(xAt, ...shape(layout, chunk), p, sumsAt!, groupBase));
      for (let g = 0; g < sums.length; g++) out[g] = p === 1 ? sums[g]! : Math.sqrt(sums[g]!);
    },

    quantizeGroups(x, layout, scale, zeroPoint, qmin, qmax, out) {
      checkQuantizeArguments('quantizeGroups', x, layout, scale, zeroPoint, out, { qmin, qmax });
      const signed = out instanceof Int8Array ? 1 : 0;
      streamGroups(x, layout, [scale, zeroPoint], [], out, (xAt, [scaleAt, zeroPointAt], outAt, chunk, groupBase) =>
        wasm.quantizeGroupsChunk(xAt, ...shape(layout, chunk), scaleAt!, zeroPointAt!, groupBase, qmin, qmax, outAt, signed),
      );
    },

    dequantizeGroups(q, layout, scale, zeroPoint, out) {
      checkQuantizeArguments('dequantizeGroups', q, layout, scale, zeroPoint, out);
      const signed = q instanceof Int8Array ? 1 : 0;
      streamGroups(q, layout, [scale, zeroPoint], [], out, (qAt, [scaleAt, zeroPointAt], outAt, chunk, groupBase) =>
        wasm.dequantizeGroupsChunk(qAt, ...shape(layout, chunk), scaleAt!, zeroPointAt!, groupBase, outAt, signed),
      );
    },

    fakeQuantizeGroups(x, layout, scale, zeroPoint, qmin, qmax, out) {
      checkQuantizeArguments('fakeQuantizeGroups', x, layout, scale, zeroPoint, out, { qmin, qmax });
      streamGroups(x, layout, [scale, zeroPoint], [], out, (xAt, [scaleAt, zeroPointAt], outAt, chunk, groupBase) =>
        wasm.fakeQuantizeGroupsChunk(xAt, ...shape(layout, chunk), scaleAt!, zeroPointAt!, groupBase, qmin, qmax, outAt),
      );
    },

    histogram(x, lo, hi, absolute, counts) {
      if (!(hi >= lo) || counts.length < 1) throw new RangeError(`histogram: needs lo ≤ hi and at least one bin (got [${lo}, ${hi}), ${counts.length} bins)`);
      const bins = counts.length;
      const [countsAt, xAt] = reserveStaging(bins * 4, Math.min(x.length, PASS_STREAM_CHUNK) * 4) as [number, number];
      const chunkCounts = new Int32Array(bins);
      memory.fill(countsAt, chunkCounts, bins, 0);
      streamFlat(x, (at, count) => wasm.histogramChunk(at, count, lo, hi, absolute ? 1 : 0, countsAt, bins), xAt);
      memory.read(countsAt, chunkCounts);
      for (let bin = 0; bin < bins; bin++) counts[bin]! += chunkCounts[bin]!;
    },

    kthSmallestMagnitude(x, k) {
      if (!Number.isInteger(k) || k < 0 || k >= x.length) throw new RangeError(`kthSmallestMagnitude: k = ${k} is outside 0..${x.length - 1}`);
      // Three digits of |x|'s 31 magnitude bits, most significant first: 11, 10, 10.
      const digits = [
        { shift: 20, digitMask: 0x7ff },
        { shift: 10, digitMask: 0x3ff },
        { shift: 0, digitMask: 0x3ff },
      ];
      let prefix = 0;
      let prefixMask = 0;
      let rank = k;
      for (const { shift, digitMask } of digits) {
        const counts = digitCounts(x, prefixMask, prefix, shift, digitMask);
        let digit = 0;
        while (rank >= counts[digit]!) rank -= counts[digit++]!;
        prefix = (prefix | (digit << shift)) >>> 0;
        prefixMask = (prefixMask | (digitMask << shift)) >>> 0;
      }
      return new Float32Array(Uint32Array.of(prefix).buffer)[0]!;
    },

    countNonzero(x) {
      let count = 0;
      streamFlat(x, (at, length) => (count += wasm.countNonzeroChunk(at, length)));
      return count;
    },

    kmeansAssign(x, centroids, assignment, sums, counts) {
      checkKmeansArguments(x, centroids, assignment, sums, counts);
      const k = centroids.length;
      // Distinct centroid values ascending, each with the lowest index that holds it.
      const order = Array.from(centroids.keys()).sort((a, b) => centroids[a]! - centroids[b]! || a - b);
      const unique = order.filter((c, i) => i === 0 || centroids[c] !== centroids[order[i - 1]!]);
      const sorted = Float32Array.from(unique, (c) => centroids[c]!);
      const indices = Int32Array.from(unique);
      const wide = assignment instanceof Uint16Array ? 1 : 0;
      const [centroidsAt, sortedAt, indicesAt, sumsAt, countsAt, xAt, assignmentAt] = reserveStaging(k * 4, k * 4, k * 4, k * 8, k * 8, PASS_STREAM_CHUNK * 4, PASS_STREAM_CHUNK * 2) as number[] as [number, number, number, number, number, number, number];
      memory.write(centroidsAt, centroids);
      memory.write(sortedAt, sorted);
      memory.write(indicesAt, indices);
      memory.write(sumsAt, sums, 0, k);
      memory.write(countsAt, counts, 0, k);
      let inertia = 0;
      for (let start = 0; start < x.length; start += PASS_STREAM_CHUNK) {
        const end = Math.min(x.length, start + PASS_STREAM_CHUNK);
        memory.write(xAt, x, start, end);
        inertia = wasm.kmeansAssignChunk(xAt, end - start, centroidsAt, sortedAt, indicesAt, unique.length, assignmentAt, wide, sumsAt, countsAt, inertia);
        memory.read(assignmentAt, assignment, start, end);
      }
      memory.read(sumsAt, sums, 0, k);
      memory.read(countsAt, counts, 0, k);
      return inertia;
    },

    svd(a, m, n) {
      checkSvdArguments(a, m, n);
      const { columns, rows, cols, transposed } = tallColumns(a, m, n);
      const v = new Float64Array(cols * cols);
      const [columnsAt, vAt] = reserveStaging(columns.byteLength, v.byteLength) as [number, number];
      memory.write(columnsAt, columns);
      wasm.jacobiOrthogonalize(columnsAt, rows, cols, vAt);
      memory.read(columnsAt, columns);
      memory.read(vAt, v);
      return assembleSvd(columns, rows, cols, v, transposed);
    },
  };
}
