// Fuzzing the open path: thousands of seeded corruptions of the structural models (truncations,
// bit flips, inserted and overwritten bytes, splices, random files) and hand-made adversarial files
// (deep nesting, huge and negative dims, length prefixes claiming gigabytes) go through openModel
// and, when that succeeds, summarizeGraph. Every outcome must be a summary or a ModelFileError.
import Long from 'long';
import { describe, expect, it } from 'vitest';
import { onnx } from './generated/onnx.js';
import { DataType } from './dataType.js';
import { decodeModel, encodeModel, ModelFileError, type ModelProblem } from './modelFile.js';
import { makeTensorProto } from './tensorData.js';
import { modelGraphs } from './walk.js';
import { openModel } from '../graph/openModel.js';
import { summarizeGraph } from '../graph/summary.js';
import { seededRandom, type Random } from '../random/seededRandom.js';
import { structuralModels } from '../testing/structuralModels.js';

type Outcome = { kind: 'summary' } | { kind: 'error'; problem: ModelProblem };

/** Opens and summarizes; anything thrown that is not a ModelFileError fails the test with context. */
function openAndSummarize(bytes: Uint8Array, label: string): Outcome {
  const fileName = 'fuzz.onnx';
  try {
    const opened = openModel(bytes, { fileName });
    const summary = summarizeGraph(opened.graph, opened);
    JSON.stringify(summary); // plain data, no cycles, no BigInt
    return { kind: 'summary' };
  } catch (error) {
    if (error instanceof ModelFileError) {
      expect(error.message.startsWith(`${fileName}: `)).toBe(true);
      return { kind: 'error', problem: error.problem };
    }
    const hex = Buffer.from(bytes.subarray(0, 64)).toString('hex');
    throw new Error(`${label}: ${(error as Error)?.name}: ${(error as Error)?.message} (first bytes ${hex})`, { cause: error });
  }
}

const int = (random: Random, below: number) => Math.floor(random.next() * below);

const MUTATIONS: Record<string, (bytes: Uint8Array, random: Random, others: Uint8Array[]) => Uint8Array> = {
  truncate: (bytes, random) => Uint8Array.from(bytes.subarray(0, int(random, bytes.length))),
  flipBits: (bytes, random) => {
    const out = Uint8Array.from(bytes);
    for (let n = 1 + int(random, 8); n > 0; n--) out[int(random, out.length)]! ^= 1 << int(random, 8);
    return out;
  },
  overwriteBytes: (bytes, random) => {
    const out = Uint8Array.from(bytes);
    const at = int(random, out.length);
    const special = [0x00, 0xff, 0x80, 0x7f, 0x08, 0x0a, 0x12, 0x3a];
    for (let i = 0; i < 1 + int(random, 6) && at + i < out.length; i++) out[at + i] = random.next() < 0.5 ? special[int(random, special.length)]! : int(random, 256);
    return out;
  },
  insertBytes: (bytes, random) => {
    const at = int(random, bytes.length + 1);
    const inserted = Uint8Array.from({ length: 1 + int(random, 16) }, () => int(random, 256));
    return Uint8Array.from([...bytes.subarray(0, at), ...inserted, ...bytes.subarray(at)]);
  },
  deleteBytes: (bytes, random) => {
    const at = int(random, bytes.length);
    return Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + 1 + int(random, 8))]);
  },
  hugeVarint: (bytes, random) => {
    // Replace one byte with a 10-byte varint (up to 2^64 − 1): lengths, dims and tags go huge.
    const at = int(random, bytes.length);
    const varint = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01].slice(int(random, 9));
    return Uint8Array.from([...bytes.subarray(0, at), ...varint, ...bytes.subarray(at + 1)]);
  },
  splice: (bytes, random, others) => {
    const other = others[int(random, others.length)]!;
    return Uint8Array.from([...bytes.subarray(0, int(random, bytes.length)), ...other.subarray(int(random, other.length))]);
  },
  randomFile: (_bytes, random) => Uint8Array.from({ length: int(random, 512) }, () => int(random, 256)),
};

const RUNS_PER_MUTATION = 500; // × 8 mutations = 4,000 corrupted files

describe('fuzzing openModel + summarizeGraph', () => {
  const originals = structuralModels.map((m) => encodeModel(m.build()));
  const pristine = originals.map((bytes) => Uint8Array.from(bytes));

  it(`never throws anything but ModelFileError on ${Object.keys(MUTATIONS).length * RUNS_PER_MUTATION} corrupted files`, () => {
    const random = seededRandom(20261122);
    const tally = new Map<string, number>();
    let runs = 0;
    for (const [name, mutate] of Object.entries(MUTATIONS)) {
      for (let i = 0; i < RUNS_PER_MUTATION; i++) {
        const source = originals[i % originals.length]!;
        const bytes = mutate(source, random, originals);
        const outcome = openAndSummarize(bytes, `${name} #${i} of ${structuralModels[i % originals.length]!.name}`);
        const key = outcome.kind === 'summary' ? 'summary' : outcome.problem;
        tally.set(key, (tally.get(key) ?? 0) + 1);
        runs++;
      }
    }
    expect(runs).toBeGreaterThanOrEqual(3000);
    // The corpus exercises both paths and several distinct failure kinds.
    originals.forEach((bytes, i) => expect(Buffer.from(bytes).equals(Buffer.from(pristine[i]!))).toBe(true)); // mutations copied
    expect(tally.get('summary') ?? 0).toBeGreaterThan(100);
    for (const problem of ['empty', 'not-onnx', 'truncated', 'tensor-data', 'invalid-graph'] satisfies ModelProblem[]) {
      expect(tally.get(problem) ?? 0, `no '${problem}' outcome in ${JSON.stringify([...tally])}`).toBeGreaterThan(0);
    }
  });

  it('never throws anything but ModelFileError on 1,500 structurally rewired models', () => {
    // Byte noise rarely yields a well-formed but wrong graph; these do: rewired inputs, dropped or
    // shuffled nodes, renamed outputs, retyped tensors — inside subgraphs too.
    const random = seededRandom(7);
    const tally = new Map<string, number>();
    for (let i = 0; i < 1500; i++) {
      const spec = structuralModels[i % structuralModels.length]!;
      const model = spec.build();
      const graphs = [...modelGraphs(model)].map((v) => v.graph);
      const names = graphs.flatMap((g) => [...(g.node ?? []).flatMap((n) => [...(n.input ?? []), ...(n.output ?? [])]), ...(g.initializer ?? []).map((t) => t.name ?? '')]);
      for (let edits = 1 + int(random, 3); edits > 0; edits--) {
        const graph = graphs[int(random, graphs.length)]!;
        const nodes = graph.node ?? [];
        if (nodes.length === 0) continue;
        const node = nodes[int(random, nodes.length)]!;
        switch (int(random, 6)) {
          case 0: // read some other value (possibly creating a cycle or a dangling read)
            if (node.input?.length) node.input[int(random, node.input.length)] = random.next() < 0.8 ? names[int(random, names.length)]! : 'nowhere';
            break;
          case 1: // drop a node
            nodes.splice(nodes.indexOf(node), 1);
            break;
          case 2: // shuffle node order
            nodes.sort(() => random.next() - 0.5);
            break;
          case 3: // rename an output
            if (node.output?.length) node.output[0] = names[int(random, names.length)]!;
            break;
          case 4: // change an initializer's type or dims
            if (graph.initializer?.length) {
              const t = graph.initializer[int(random, graph.initializer.length)]!;
              if (random.next() < 0.5) t.dataType = int(random, 30);
              else t.dims = [Long.fromNumber(int(random, 5) - 1), Long.fromNumber(int(random, 40))];
            }
            break;
          default: // change an op type
            node.opType = ['Identity', 'Cast', 'DequantizeLinear', 'Constant', 'If', 'Conv'][int(random, 6)]!;
        }
      }
      const outcome = openAndSummarize(encodeModel(model), `rewired #${i} of ${spec.name}`);
      const key = outcome.kind === 'summary' ? 'summary' : outcome.problem;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    expect(tally.get('summary') ?? 0).toBeGreaterThan(50);
    expect(tally.get('invalid-graph') ?? 0).toBeGreaterThan(50);
    expect(tally.get('tensor-data') ?? 0).toBeGreaterThan(10);
  });

  it('every prefix of a model is handled', () => {
    for (const bytes of originals.slice(0, 3)) {
      for (let length = 0; length < bytes.length; length++) openAndSummarize(bytes.subarray(0, length), `prefix ${length}`);
    }
  });
});

// ——— hand-made adversarial files ———

function varint(value: number | bigint): number[] {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return out;
}
const lengthDelimited = (field: number, payload: ArrayLike<number>) => [...varint((field << 3) | 2), ...varint(payload.length), ...Array.from(payload)];

/** A ModelProto whose graph nests `depth` If nodes, each holding the next graph as then_branch.
 * Built inside out as headers only (each level's payload ends with the next level), so it is O(depth). */
function nestedSubgraphBytes(depth: number): Uint8Array {
  const encoder = new TextEncoder();
  const tag = (field: number, wire: number) => varint((field << 3) | wire);
  const headers: number[][] = [];
  let innerLength = 0; // the innermost GraphProto is empty
  for (let level = 0; level < depth; level++) {
    const attributeHead = [...lengthDelimited(1, encoder.encode('then_branch')), ...tag(20, 0), 5, ...tag(6, 2), ...varint(innerLength)];
    const attributeLength = attributeHead.length + innerLength;
    const nodeHead = [...lengthDelimited(4, encoder.encode('If')), ...tag(5, 2), ...varint(attributeLength)];
    const nodeLength = nodeHead.length + attributeLength;
    const graphHead = [...tag(1, 2), ...varint(nodeLength)];
    headers.push([...graphHead, ...nodeHead, ...attributeHead]);
    innerLength = graphHead.length + nodeLength;
  }
  const model = [...tag(1, 0), 8, ...tag(7, 2), ...varint(innerLength)];
  return Uint8Array.from([...model, ...headers.reverse().flat()]);
}

function expectOutcome(bytes: Uint8Array, expected: Outcome['kind'] | ModelProblem): void {
  const outcome = openAndSummarize(bytes, 'adversarial');
  expect(outcome.kind === 'summary' ? 'summary' : outcome.problem).toBe(expected);
}

describe('adversarial files', () => {
  it('subgraphs nested thousands deep are refused as too deep, without overflowing the stack', () => {
    expectOutcome(nestedSubgraphBytes(5_000), 'too-deep');
    expectOutcome(nestedSubgraphBytes(200), 'too-deep');
  });

  it('the deepest nesting that decodes also encodes again (the same depth limit both ways)', () => {
    let depth = 20;
    while (openAndSummarize(nestedSubgraphBytes(depth + 1), 'depth probe').kind === 'summary') depth++;
    expect(depth).toBeGreaterThanOrEqual(30); // real models nest If/Loop a handful of levels at most
    const model = decodeModel(nestedSubgraphBytes(depth));
    expect(decodeModel(encodeModel(model)).graph).toBeTruthy();
    expectOutcome(nestedSubgraphBytes(depth + 1), 'too-deep');
  });

  it('subgraphs nested a realistic depth still open (or fail structurally, never crash)', () => {
    const bytes = nestedSubgraphBytes(10);
    const outcome = openAndSummarize(bytes, 'nested 10');
    expect(['summary', 'invalid-graph']).toContain(outcome.kind === 'summary' ? 'summary' : outcome.problem);
  });

  it('unknown groups nested deeply are refused, not recursed into forever', () => {
    // Field 99 as START_GROUP (wire type 3), repeated: skipping it recurses once per level.
    const start = varint((99 << 3) | 3);
    const bytes = Uint8Array.from([...varint(8), 8, ...Array.from({ length: 10_000 }, () => start).flat()]);
    const outcome = openAndSummarize(bytes, 'groups');
    expect(outcome.kind).toBe('error');
  });

  it('a length prefix claiming gigabytes is a truncated file, not an allocation', () => {
    for (const claimed of [2 ** 31, 2 ** 32 - 1, 2 ** 40, 2n ** 63n]) {
      const bytes = Uint8Array.from([...varint(8), 8, ...varint((7 << 3) | 2), ...varint(claimed), 0x0a, 0x00]);
      const outcome = openAndSummarize(bytes, `claims ${claimed}`);
      expect(outcome.kind).toBe('error');
    }
    // Inside a tensor: raw_data claiming 4 GB within an initializer.
    const tensor = [...varint((9 << 3) | 2), ...varint(2 ** 32 - 1), 1, 2, 3];
    const bytes = Uint8Array.from([...varint(8), 8, ...lengthDelimited(7, lengthDelimited(5, tensor))]);
    expectOutcome(bytes.subarray(0, bytes.length), 'truncated');
  });

  function modelWithTensor(dims: (number | Long)[], rawBytes: number): Uint8Array {
    const graph = new onnx.GraphProto({
      name: 'g',
      initializer: [new onnx.TensorProto({ name: 'w', dataType: DataType.FLOAT, dims: dims.map((d) => (typeof d === 'number' ? Long.fromNumber(d) : d)), rawData: new Uint8Array(rawBytes) })],
    });
    return encodeModel(new onnx.ModelProto({ irVersion: Long.fromNumber(8), graph }));
  }

  it('huge declared tensor dims are refused by name before anything is allocated', () => {
    expectOutcome(modelWithTensor([2 ** 31, 2 ** 31, 2 ** 31], 4), 'tensor-data');
    expectOutcome(modelWithTensor([Long.MAX_VALUE], 4), 'tensor-data');
    expectOutcome(modelWithTensor([Long.fromString('9007199254740993')], 4), 'tensor-data');
    expectOutcome(modelWithTensor([1 << 30, 1 << 30], 4), 'tensor-data');
  });

  it('negative tensor dims are refused', () => {
    expectOutcome(modelWithTensor([-1], 4), 'tensor-data');
    expectOutcome(modelWithTensor([-2, -2], 16), 'tensor-data');
    expectOutcome(modelWithTensor([Long.MIN_VALUE], 4), 'tensor-data');
  });

  it('huge or negative dims in input/output shapes and opset versions still summarize', () => {
    const model = structuralModels[0]!.build();
    const dims = model.graph!.input![0]!.type!.tensorType!.shape!.dim!;
    dims[0] = new onnx.TensorShapeProto.Dimension({ dimValue: Long.MAX_VALUE });
    dims[1] = new onnx.TensorShapeProto.Dimension({ dimValue: Long.fromNumber(-7) });
    model.opsetImport![0]!.version = Long.fromString('99999999999999999');
    expectOutcome(encodeModel(model), 'summary');
  });

  it('a Constant node with a huge declared value tensor is refused', () => {
    const model = structuralModels[0]!.build();
    const huge = makeTensorProto({ name: 'c', dataType: DataType.FLOAT, dims: [1], values: Float32Array.of(1) });
    huge.dims = [Long.fromNumber(2 ** 40)];
    model.graph!.node!.push(new onnx.NodeProto({ opType: 'Constant', output: ['c'], attribute: [new onnx.AttributeProto({ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: huge })] }));
    expectOutcome(encodeModel(model), 'tensor-data');
  });

  it('a Constant node with a huge value_ints list is fine (it is only as large as the file)', () => {
    const model = structuralModels[0]!.build();
    model.graph!.node!.push(new onnx.NodeProto({ opType: 'Constant', output: ['c'], attribute: [new onnx.AttributeProto({ name: 'value_ints', type: onnx.AttributeProto.AttributeType.INTS, ints: Array.from({ length: 100_000 }, (_, i) => Long.fromNumber(i)) })] }));
    expectOutcome(encodeModel(model), 'summary');
  });

  it('a 20,000-node chain of unnamed nodes in reverse file order opens (no deep recursion in validation or topology)', () => {
    const nodes: onnx.NodeProto[] = [];
    let previous = 'x';
    for (let i = 0; i < 20_000; i++) {
      nodes.push(new onnx.NodeProto({ opType: 'Relu', input: [previous], output: [`v${i}`] }));
      previous = `v${i}`;
    }
    const graph = new onnx.GraphProto({ node: nodes.reverse(), input: [{ name: 'x' }], output: [{ name: previous }] });
    expectOutcome(encodeModel(new onnx.ModelProto({ irVersion: Long.fromNumber(8), graph })), 'summary');
  });
});
