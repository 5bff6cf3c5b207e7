// Models the end-to-end tests open, built in code with the core's ModelBuilder, and what the studio
// should show for each, computed with the core (openModel, summarizeGraph) — never hard-coded.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openModel } from '../../src/core/graph/openModel';
import { ModelBuilder } from '../../src/core/graph/ModelBuilder';
import { summarizeGraph, type ModelSummary } from '../../src/core/graph/summary';
import { DataType } from '../../src/core/onnx/dataType';
import { onnx } from '../../src/core/onnx/generated/onnx.js';
import { encodeModel } from '../../src/core/onnx/modelFile';
import { seededFloats, structuralModel } from '../../src/core/testing/structuralModels';
import type { StudioFile } from './studio';

export interface ExpectedView {
  summary: ModelSummary;
  /** Operator nodes the canvas draws: every node of the main graph except Constant nodes, whose
   * values show as weights in the layer table (the studio's documented view of a graph). */
  opNodeCount: number;
  /** Node ids as the studio names them (node name, or opType_index when unnamed), drawn nodes only. */
  drawnNodeIds: string[];
}

/** What the studio should show for these files, as the core reads them. */
export function expectedView(model: StudioFile, externalFiles: StudioFile[] = []): ExpectedView {
  const byName = new Map(externalFiles.map((f) => [f.name, f.bytes]));
  const opened = openModel(model.bytes, { fileName: model.name, externalFiles: (location) => byName.get(location) });
  const summary = summarizeGraph(opened.graph, opened);
  const drawn = opened.graph.nodes.filter((n) => !(n.proto.opType === 'Constant' && (n.proto.domain ?? '') === ''));
  return { summary, opNodeCount: drawn.length, drawnNodeIds: drawn.map((n) => n.id) };
}

export function modelFile(name: string, model: onnx.IModelProto): StudioFile {
  return { name, bytes: encodeModel(model) };
}

/**
 * The attention structural model (LayerNorm, Q/K/V MatMuls, a Constant scale, Softmax, residual)
 * with its Softmax left unnamed, so one node's id comes from its op type and index.
 */
export function attentionModel(): { model: onnx.ModelProto; unnamedNodeId: string } {
  const model = structuralModel('attention').build();
  const nodes = model.graph?.node ?? [];
  const index = nodes.findIndex((n) => n.opType === 'Softmax');
  nodes[index]!.name = '';
  return { model, unnamedNodeId: `Softmax_${index}` };
}

/** The residual structural model: two blocks sharing one weight tensor, then a head. */
export function residualModel(): onnx.ModelProto {
  return structuralModel('residual').build();
}

/**
 * A deep MLP of `blocks` blocks, each MatMul → Add (bias) → Relu → Add (residual): 4 nodes and one
 * layer per block, so 260 blocks give 1,040 operator nodes.
 */
export function deepResidualModel(blocks: number): onnx.ModelProto {
  const width = 4;
  const b = new ModelBuilder({ opset: 17, producerName: 'whittle-e2e' });
  let current = b.input('input', DataType.FLOAT, ['N', width]);
  for (let i = 0; i < blocks; i++) {
    const w = b.initializer(`block${i}.weight`, DataType.FLOAT, [width, width], seededFloats(1000 + i, width * width, 0.3));
    const bias = b.initializer(`block${i}.bias`, DataType.FLOAT, [width], seededFloats(5000 + i, width, 0.1));
    const [m] = b.node('MatMul', [current, w], {}, { name: `block${i}.matmul` });
    const [s] = b.node('Add', [m!, bias], {}, { name: `block${i}.bias_add` });
    const [r] = b.node('Relu', [s!], {}, { name: `block${i}.relu` });
    [current] = b.node('Add', [current, r!], {}, { name: `block${i}.residual` }) as [string];
  }
  b.output(current, DataType.FLOAT, ['N', width]);
  return b.build();
}

/** A valid graph with an operator from a custom domain that ONNX Runtime has no kernel for. */
export function customOpModel(): onnx.ModelProto {
  const b = new ModelBuilder({ opset: 17, extraOpsets: { 'com.example': 1 } });
  const x = b.input('input', DataType.FLOAT, ['N', 4]);
  const [y] = b.node('Scramble', [x], {}, { name: 'scramble', domain: 'com.example' });
  b.node('Relu', [y!], {}, { name: 'relu', outputs: ['output'] });
  b.output('output', DataType.FLOAT, ['N', 4]);
  return b.build();
}

/** The file cut short: the last `keepFraction` of its bytes never arrived. */
export function truncatedFile(file: StudioFile, name: string, keepFraction = 0.6): StudioFile {
  return { name, bytes: file.bytes.slice(0, Math.floor(file.bytes.length * keepFraction)) };
}

export function textFile(name: string): StudioFile {
  return { name, bytes: new TextEncoder().encode('These are my notes about the model, not the model.\n'.repeat(20)) };
}

/** The model with one initializer's raw data one float short of what its dims declare. */
export function shortTensorModel(model: onnx.ModelProto, tensorName: string): onnx.ModelProto {
  const tensor = model.graph?.initializer?.find((t) => t.name === tensorName);
  if (!tensor?.rawData) throw new Error(`no initializer '${tensorName}' with raw data`);
  tensor.rawData = tensor.rawData.slice(0, tensor.rawData.length - 4);
  return model;
}

/**
 * Moves every float initializer's bytes into one external-data file (as onnx.save_model with
 * save_as_external_data does), each tensor pointing at its offset and length in `location`.
 */
export function withExternalData(model: onnx.ModelProto, location: string): { model: onnx.ModelProto; data: Uint8Array } {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const tensor of model.graph?.initializer ?? []) {
    if (tensor.dataType !== DataType.FLOAT || !tensor.rawData?.length) continue;
    const bytes = new Uint8Array(tensor.rawData);
    // Offsets aligned to 4 KB as ONNX's own writer does for large files; here 64 bytes is enough.
    const padding = (64 - (offset % 64)) % 64;
    if (padding) chunks.push(new Uint8Array(padding));
    offset += padding;
    tensor.externalData = [
      new onnx.StringStringEntryProto({ key: 'location', value: location }),
      new onnx.StringStringEntryProto({ key: 'offset', value: String(offset) }),
      new onnx.StringStringEntryProto({ key: 'length', value: String(bytes.length) }),
    ];
    tensor.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    tensor.rawData = new Uint8Array(0);
    chunks.push(bytes);
    offset += bytes.length;
  }
  const data = new Uint8Array(offset);
  let at = 0;
  for (const chunk of chunks) {
    data.set(chunk, at);
    at += chunk.length;
  }
  return { model, data };
}

/** A temporary folder of files, as a user would have them on disk for the Open dialog. */
export class TempFiles {
  private constructor(readonly dir: string) {}

  static async create(): Promise<TempFiles> {
    return new TempFiles(await mkdtemp(join(tmpdir(), 'whittle-e2e-files-')));
  }

  async write(file: StudioFile): Promise<string> {
    const path = join(this.dir, file.name);
    await writeFile(path, file.bytes);
    return path;
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
