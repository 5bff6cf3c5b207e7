// @ts-nocheck — AssemblyScript (see gemm.ts).
//
// How the grouped kernels walk a chunk of a (outer, axisLength, inner) tensor. The host streams whole
// rows — one row is the `inner` contiguous elements at one (o, a) — and the per-group arrays of just
// the groups those rows touch, which start at group `groupBase`. Group index of element (o, a, i) is
// (o · blocksPerAxis + a / block) · inner + i, so:
//   inner = 1: consecutive rows of one block share a group — a contiguous RUN of up to `block`
//              elements with one scale, walked by startRuns()/nextRun();
//   inner > 1: every row maps onto `inner` consecutive groups — the row and its groups line up lane
//              for lane, walked by rowGroup().

// The run cursor lives in globals, not an object: with the stub runtime every `new` would take
// memory from __heap_base, which is where the host's scratch arena begins.
let runOuter: i32 = 0;
let runAxis: i32 = 0;
let runLeft: i32 = 0;
let runAxisLength: i32 = 1;
let runBlock: i32 = 1;
let runBlocksPerAxis: i32 = 1;
let runGroupBase: i32 = 0;
/** Length of the current run (after nextRun() returned true). */
export let runLength: i32 = 0;
/** Group of the current run, relative to groupBase. */
export let runGroup: i32 = 0;

/** Starts walking the runs of an inner = 1 chunk of `rows` rows from row `firstRow`. */
export function startRuns(firstRow: i32, rows: i32, axisLength: i32, block: i32, groupBase: i32): void {
  runOuter = firstRow / axisLength;
  runAxis = firstRow % axisLength;
  runLeft = rows;
  runAxisLength = axisLength;
  runBlock = block;
  runBlocksPerAxis = (axisLength + block - 1) / block;
  runGroupBase = groupBase;
}

/** Advances to the next run (runLength elements of group runGroup); false when the chunk is done. */
export function nextRun(): bool {
  if (runLeft <= 0) return false;
  const blockIndex = runAxis / runBlock;
  const blockEnd = min((blockIndex + 1) * runBlock, runAxisLength);
  runLength = min(blockEnd - runAxis, runLeft);
  runGroup = runOuter * runBlocksPerAxis + blockIndex - runGroupBase;
  runLeft -= runLength;
  runAxis += runLength;
  if (runAxis == runAxisLength) {
    runAxis = 0;
    runOuter++;
  }
  return true;
}

/** First group (relative to groupBase) of row `row` when inner > 1. */
// @ts-ignore: decorator
@inline export function rowGroup(row: i32, axisLength: i32, inner: i32, block: i32, groupBase: i32): i32 {
  const blocksPerAxis = (axisLength + block - 1) / block;
  return ((row / axisLength) * blocksPerAxis + (row % axisLength) / block) * inner - groupBase;
}
