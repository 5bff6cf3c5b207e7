// The staging area in the wasm module's linear memory through which every kernel call passes its
// arrays: reserve space for all operands first (growing memory once if needed), then copy inputs
// in, run, copy outputs out. Growing memory detaches earlier views of memory.buffer, which is why
// views are taken only after the reservation and never kept by callers.

const ALIGNMENT = 16; // v128 loads are fastest on 16-byte boundaries
const PAGE_BYTES = 65536;

export class ScratchArena {
  private floats: Float32Array;
  private ints: Int32Array;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly base: number,
  ) {
    this.floats = new Float32Array(memory.buffer);
    this.ints = new Int32Array(memory.buffer);
  }

  /** Reserves consecutive aligned blocks of the given byte sizes for one call; returns their offsets. */
  reserve(...byteSizes: number[]): number[] {
    let top = alignUp(this.base);
    const offsets = byteSizes.map((bytes) => {
      const offset = top;
      top = alignUp(top + bytes);
      return offset;
    });
    const missing = top - this.memory.buffer.byteLength;
    if (missing > 0) {
      // Grow with headroom so a training loop's steady state never grows again.
      const pages = Math.ceil(Math.max(missing, this.memory.buffer.byteLength / 2) / PAGE_BYTES);
      try {
        this.memory.grow(pages);
      } catch {
        try {
          this.memory.grow(Math.ceil(missing / PAGE_BYTES)); // without the headroom, in case that fits
        } catch (error) {
          throw new RangeError(`wasm kernels: one call's operands need ${(top / 2 ** 20).toFixed(0)} MB of wasm memory, more than this engine grants (${error instanceof Error ? error.message : String(error)}); split the batch`);
        }
      }
    }
    if (this.floats.buffer !== this.memory.buffer) {
      this.floats = new Float32Array(this.memory.buffer);
      this.ints = new Int32Array(this.memory.buffer);
    }
    return offsets;
  }

  write(offset: number, values: Float32Array | Int32Array, length = values.length): void {
    const view = values instanceof Float32Array ? this.floats : this.ints;
    view.set(length === values.length ? values : values.subarray(0, length), offset >>> 2);
  }

  read(offset: number, into: Float32Array | Int32Array, length = into.length): void {
    const view = into instanceof Float32Array ? this.floats : this.ints;
    into.set(view.subarray(offset >>> 2, (offset >>> 2) + length));
  }
}

function alignUp(value: number): number {
  return Math.ceil(value / ALIGNMENT) * ALIGNMENT;
}
