// `whittle inspect` end to end: spawns the real `node cli/whittle.mjs` (the same shim `npx whittle`
// runs) from a temporary folder, on models generated into it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Long from 'long';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onnx } from '../src/core/onnx/generated/onnx.js';
import { DataType } from '../src/core/onnx/dataType.js';
import { encodeModel } from '../src/core/onnx/modelFile.js';
import { ModelBuilder } from '../src/core/graph/ModelBuilder.js';
import { openModel } from '../src/core/graph/openModel.js';
import { summarizeGraph } from '../src/core/graph/summary.js';
import { seededRandom } from '../src/core/random/seededRandom.js';

const SHIM = fileURLToPath(new URL('./whittle.mjs', import.meta.url));

function whittle(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [SHIM, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function floats(seed: number, count: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count }, () => random.normal() * 0.1);
}

/** input [batch, 8] → fc1 (Gemm 16) → Relu → fc2 (MatMul with an int8 weight via DequantizeLinear) → logits [batch, 4]. */
function buildMixedModel(): onnx.ModelProto {
  const b = new ModelBuilder({ opset: 17, graphName: 'mixed', metadata: { purpose: 'cli test' } });
  const x = b.input('input', DataType.FLOAT, ['batch', 8]);
  const w1 = b.initializer('fc1.weight', DataType.FLOAT, [16, 8], floats(1, 128));
  const b1 = b.initializer('fc1.bias', DataType.FLOAT, [16], floats(2, 16));
  const [h] = b.node('Gemm', [x, w1, b1], { transB: 1 }, { name: 'fc1' });
  const [a] = b.node('Relu', [h!], {}, { name: 'relu1' });
  const q = b.initializer('fc2.weight_quantized', DataType.INT8, [16, 4], Int8Array.from({ length: 64 }, (_, i) => (i * 7) % 127));
  const scale = b.initializer('fc2.weight_scale', DataType.FLOAT, [], Float32Array.of(0.01));
  const [w2] = b.node('DequantizeLinear', [q, scale], {}, { name: 'fc2.dequantize' });
  b.node('MatMul', [a!, w2!], {}, { name: 'fc2', outputs: ['logits'] });
  b.output('logits', DataType.FLOAT, ['batch', 4]);
  return b.build();
}

/** Moves one initializer's bytes to an external file and returns those bytes. */
function externalize(model: onnx.ModelProto, tensorName: string, location: string): Uint8Array {
  const tensor = model.graph!.initializer!.find((t) => t.name === tensorName)!;
  const bytes = tensor.rawData!.slice();
  tensor.rawData = new Uint8Array(0);
  tensor.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
  tensor.externalData = [
    new onnx.StringStringEntryProto({ key: 'location', value: location }),
    new onnx.StringStringEntryProto({ key: 'offset', value: '0' }),
    new onnx.StringStringEntryProto({ key: 'length', value: String(bytes.length) }),
  ];
  return bytes;
}

describe('whittle inspect', () => {
  let dir: string;
  let modelBytes: Uint8Array;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'whittle-cli-'));
    modelBytes = encodeModel(buildMixedModel());
    writeFileSync(join(dir, 'mixed.onnx'), modelBytes);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints inputs, outputs, opset, operators, layers and totals as text', () => {
    const { code, stdout, stderr } = whittle(dir, 'inspect', 'mixed.onnx');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^mixed\.onnx /);
    expect(stdout).toContain('opset ai.onnx 17');
    expect(stdout).toMatch(/input\s+float32\s+\[batch, 8\]/);
    expect(stdout).toMatch(/logits\s+float32\s+\[batch, 4\]/);
    expect(stdout).toMatch(/DequantizeLinear\s+1/);
    // Layer rows: name, op, primary weight shape, params, then bytes per element type.
    expect(stdout).toMatch(/fc1\s+Gemm\s+16×8\s+144\s+/);
    expect(stdout).toMatch(/fc2\s+MatMul\s+16×4\s+64\s+/);
    expect(stdout).toMatch(/layer\s+op\s+weight\s+params\s+float32\s+int8\s+bytes/);
    expect(stdout).toMatch(/parameters\s+208/);
    expect(stdout).toMatch(/purpose\s+cli test/);
  });

  it('prints the ModelSummary as versioned JSON with --json', () => {
    const { code, stdout } = whittle(dir, 'inspect', join(dir, 'mixed.onnx'), '--json');
    expect(code).toBe(0);
    const { graph, fileBytes } = openModel(modelBytes, { fileName: 'mixed.onnx' });
    const expected = { type: 'whittle-inspect', version: 1, ...summarizeGraph(graph, { fileName: 'mixed.onnx', fileBytes }) };
    expect(JSON.parse(stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it('fails with exit 1 and one line naming the file when the model is corrupt', () => {
    writeFileSync(join(dir, 'truncated.onnx'), modelBytes.subarray(0, Math.floor(modelBytes.length / 2)));
    const truncated = whittle(dir, 'inspect', 'truncated.onnx');
    expect(truncated.code).toBe(1);
    expect(truncated.stdout).toBe('');
    expect(truncated.stderr).toMatch(/^whittle: truncated\.onnx: the file ends early or is corrupt/);
    expect(truncated.stderr.trim().split('\n')).toHaveLength(1);

    writeFileSync(join(dir, 'notes.onnx'), 'these are not the weights you are looking for\n');
    const text = whittle(dir, 'inspect', 'notes.onnx');
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/^whittle: notes\.onnx: not an ONNX model/);

    const missing = whittle(dir, 'inspect', 'absent.onnx');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('whittle: absent.onnx: no such file\n');
  });

  it('reads external data from files beside the model, and fails clearly when one is missing', () => {
    const model = buildMixedModel();
    const weights = externalize(model, 'fc1.weight', 'mixed.weights.bin');
    writeFileSync(join(dir, 'external.onnx'), encodeModel(model));
    writeFileSync(join(dir, 'mixed.weights.bin'), weights);

    // Run from another folder: the data file is found beside the model, not in the working directory.
    const ok = whittle(tmpdir(), 'inspect', join(dir, 'external.onnx'), '--json');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const fc1 = JSON.parse(ok.stdout).layers.find((l: { name: string }) => l.name === 'fc1');
    expect(fc1.params).toBe(144);

    rmSync(join(dir, 'mixed.weights.bin'));
    const missing = whittle(dir, 'inspect', 'external.onnx');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^whittle: external\.onnx: stores weights in external file 'mixed\.weights\.bin' \(.*no such file\); keep it beside the model\n$/);
  });

  it('refuses external data that points outside the model folder', () => {
    const model = buildMixedModel();
    externalize(model, 'fc1.weight', '../escape.bin');
    writeFileSync(join(dir, 'escaping.onnx'), encodeModel(model));
    const { code, stderr } = whittle(dir, 'inspect', 'escaping.onnx');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^whittle: escaping\.onnx: .*outside the model's folder/);
  });

  it('answers usage problems with the usage text and exit 2', () => {
    const help = whittle(dir, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: whittle <command>/);
    expect(help.stdout).toContain('inspect MODEL.onnx [--json]');
    expect(whittle(dir, 'inspect', '--help').code).toBe(0);

    const none = whittle(dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: whittle');

    const unknownCommand = whittle(dir, 'squash', 'mixed.onnx');
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toMatch(/^whittle: unknown command 'squash'/);

    const unknownFlag = whittle(dir, 'inspect', 'mixed.onnx', '--yaml');
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toMatch(/^whittle: inspect: unknown option '--yaml'/);

    expect(whittle(dir, 'inspect').code).toBe(2);
    expect(whittle(dir, 'inspect', 'a.onnx', 'b.onnx').code).toBe(2);
  });
});
