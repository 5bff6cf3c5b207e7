// ONNX decode and encode throughput on a generated model of 100+ MB, against baselines measured in
// the same run: copying the same bytes (Uint8Array.slice) and creating an onnxruntime-node session
// from them. Also checks that decoding keeps tensor payloads as views into the file's buffer.
import * as ortNode from 'onnxruntime-node';
import { decodeModel, encodeModel } from '../src/core/onnx/modelFile.js';
import { readTensorValues } from '../src/core/onnx/tensorData.js';
import { openModel } from '../src/core/graph/openModel.js';
import { summarizeGraph } from '../src/core/graph/summary.js';
import { buildDeepMlp, writeGeneratedModel } from './largeModels.js';
import { megabytesPerSecond, timeRuns, type Timing } from './measure.js';

export interface CodecRow {
  name: string;
  timing: Timing;
  megabytesPerSecond: number;
  /** Time relative to copying the same bytes (1 = as fast as a copy). */
  timesCopy: number;
}

export interface CodecResult {
  model: { name: string; description: string; bytes: number; path: string };
  rows: CodecRow[];
  views: {
    tensors: number;
    /** Initializers whose decoded raw_data is a view of the file's bytes. */
    sharingInputBuffer: number;
    /** Initializers whose typed values (readTensorValues) are still a view (4-byte aligned in the file). */
    valuesSharingInputBuffer: number;
  };
  encodedIdentical: boolean;
}

const RUNS = 7;

export async function benchmarkOnnxCodec(log: (line: string) => void = () => {}): Promise<CodecResult> {
  log('generating a 100+ MB model ...');
  const model = buildDeepMlp(100 * 1024 * 1024);
  const path = writeGeneratedModel(model);
  const bytes = model.bytes;
  log(`${model.name}: ${(bytes.length / 1e6).toFixed(1)} MB, written to ${path}`);

  const copy = await timeRuns(RUNS, () => bytes.slice());
  const decode = await timeRuns(RUNS, () => decodeModel(bytes));
  const decoded = decodeModel(bytes);
  const decodeAndRead = await timeRuns(RUNS, () => {
    const model = decodeModel(bytes);
    let checksum = 0;
    for (const tensor of model.graph?.initializer ?? []) checksum += (readTensorValues(tensor) as Float32Array)[0] ?? 0;
    return checksum;
  });
  const encode = await timeRuns(RUNS, () => encodeModel(decoded));
  const open = await timeRuns(RUNS, () => {
    const opened = openModel(bytes, { fileName: 'bench.onnx' });
    return summarizeGraph(opened.graph, opened);
  });
  log('timing onnxruntime-node session creation ...');
  const session = await timeRuns(3, async () => {
    const s = await ortNode.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    await s.release();
  });

  const initializers = decoded.graph?.initializer ?? [];
  const sharing = initializers.filter((t) => t.rawData && t.rawData.length > 0 && t.rawData.buffer === bytes.buffer).length;
  const valuesSharing = initializers.filter((t) => (readTensorValues(t) as Float32Array).buffer === bytes.buffer).length;
  const reencoded = encodeModel(decoded);
  const identical = reencoded.length === bytes.length && Buffer.compare(Buffer.from(reencoded), Buffer.from(bytes)) === 0;

  const row = (name: string, timing: Timing): CodecRow => ({
    name,
    timing,
    megabytesPerSecond: megabytesPerSecond(bytes.length, timing.medianMs),
    timesCopy: timing.medianMs / copy.medianMs,
  });
  return {
    model: { name: model.name, description: model.description, bytes: bytes.length, path },
    rows: [
      row('copy bytes (Uint8Array.slice), baseline', copy),
      row('decodeModel', decode),
      row('decodeModel + readTensorValues (every initializer)', decodeAndRead),
      row('encodeModel', encode),
      row('openModel + summarizeGraph', open),
      row('onnxruntime-node InferenceSession.create', session),
    ],
    views: { tensors: initializers.length, sharingInputBuffer: sharing, valuesSharingInputBuffer: valuesSharing },
    encodedIdentical: identical,
  };
}
