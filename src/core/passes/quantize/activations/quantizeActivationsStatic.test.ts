// Static QDQ activation quantization end to end on small models: the graph it writes (one pair per
// activation, names kept, int32 biases), that ONNX Runtime fuses it into int8 kernels and runs it in
// onnxruntime-web and onnxruntime-node, that both agree with the float simulation, and its errors.
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../../../kernels/js/passKernels.js';
import { createWasmPassKernels } from '../../../../kernels/wasm/createWasmPassKernels.js';
import { DataType } from '../../../onnx/dataType.js';
import { encodeModel } from '../../../onnx/modelFile.js';
import { readTensorValues } from '../../../onnx/tensorData.js';
import { graphFromModel, modelFromGraph, nodeInputs, opTypeOf, type Graph } from '../../../graph/Graph.js';
import { runModelInNode } from '../../../testing/bundledSamples.js';
import { runWithOrtNode } from '../../../testing/onnxRuntimeReference.js';
import { runWithOrtWebUnoptimized } from './testing/unoptimizedRun.js';
import { takeImageBatch } from '../../../eval/datasets/imageBatch.js';
import { PassCancelledError, PassError, type PassContext, type RuntimeFeed } from '../../Pass.js';
import { QUANTIZE_DEFAULTS, type CalibrationMethod, type QuantizeParams } from '../QuantizeParams.js';
import { quantizeActivationsStatic } from './quantizeActivations.js';
import { simulateQdqGraph } from './quantizationSimulation.js';
import { runSimulation } from './runSimulation.js';
import { compareLogits } from './testing/compareOutputs.js';
import { quantizeWeightsInt8PerChannel } from './testing/int8Weights.js';
import { ortOptimizedOps } from './testing/ortOptimizedOps.js';
import { convGemmMatMulGraph, sharedInputModel, smallImages } from './testing/smallModels.js';

const kernels = createJsPassKernels();
const images = smallImages(96);
const batch = takeImageBatch(images, 64, 32);
const feeds: Record<string, RuntimeFeed> = { input: { type: 'float32', data: batch.x, dims: batch.shape } };

function context(overrides: Partial<PassContext> = {}): PassContext {
  return { kernels, progress: () => {}, signal: new AbortController().signal, calibration: { images, run: runModelInNode }, ...overrides };
}

function params(overrides: Partial<QuantizeParams> = {}): QuantizeParams {
  return { ...QUANTIZE_DEFAULTS, activations: 'static', calibrationSamples: 64, ...overrides };
}

const logitsOf = (outputs: Record<string, RuntimeFeed>) => outputs.logits!.data as Float32Array;
const nodesOf = (graph: Graph, op: string) => graph.nodes.filter((n) => opTypeOf(n) === op);

describe('quantizeActivationsStatic', () => {
  const weights = quantizeWeightsInt8PerChannel(convGemmMatMulGraph(), kernels);

  it('puts one QuantizeLinear → DequantizeLinear pair on each planned activation and keeps every name', async () => {
    const before = encodeModel(modelFromGraph(weights));
    const quantized = await quantizeActivationsStatic(weights, params(), context());
    expect(encodeModel(modelFromGraph(weights))).toEqual(before);

    const quantizeInputs = nodesOf(quantized, 'QuantizeLinear').map((n) => nodeInputs(n)[0]);
    expect(quantizeInputs).toEqual(['input', 'conv_out_float', 'flat', 'fc_out_float', 'relu2_out']);
    // Layers keep their ids, names and ops; the graph keeps its output name.
    for (const [id, op] of [['conv', 'Conv'], ['fc', 'Gemm'], ['proj', 'MatMul']]) {
      const node = quantized.nodes.find((n) => n.id === id)!;
      expect([node.proto.name, opTypeOf(node)]).toEqual([id, op]);
    }
    expect(quantized.outputs.map((o) => o.name)).toEqual(['logits']);
    // A layer output keeps its name on the DQ, for every reader; a tensor that is only a layer input
    // gets a dequantized name that the layers, and only they, read.
    expect(nodesOf(quantized, 'DequantizeLinear').map((n) => n.proto.output![0])).toEqual(
      expect.arrayContaining(['input_dequantized', 'conv_out', 'flat_dequantized', 'fc_out', 'relu2_out_dequantized']),
    );
    expect(['conv', 'fc', 'proj'].map((id) => nodeInputs(quantized.nodes.find((n) => n.id === id)!)[0])).toEqual(['input_dequantized', 'flat_dequantized', 'relu2_out_dequantized']);
    expect(nodeInputs(quantized.nodes.find((n) => n.id === 'relu1')!)).toEqual(['conv_out']);
  });

  it('writes the bias as int32 at scale s_x · s_w, and gives the Gemm weight an explicit zero point', async () => {
    const quantized = await quantizeActivationsStatic(weights, params(), context());
    const fc = quantized.nodes.find((n) => n.id === 'fc')!;
    const biasDq = quantized.nodes.find((n) => n.proto.output?.[0] === nodeInputs(fc)[2])!;
    const [values, scales] = nodeInputs(biasDq).map((name) => readTensorValues(quantized.initializers.get(name)!));
    expect(quantized.initializers.get(nodeInputs(biasDq)[0]!)!.dataType).toBe(DataType.INT32);
    const activationScale = (readTensorValues(quantized.initializers.get('flat_scale')!) as Float32Array)[0]!;
    const weightScales = readTensorValues(weights.initializers.get('fc.weight_scale')!) as Float32Array;
    const bias = readTensorValues(weights.initializers.get('fc.bias')!) as Float32Array;
    weightScales.forEach((sw, c) => {
      expect((scales as Float32Array)[c]).toBe(Math.fround(activationScale * sw));
      expect(Math.abs((values as Int32Array)[c]! - bias[c]! / (scales as Float32Array)[c]!)).toBeLessThanOrEqual(0.5);
    });
    const weightDq = quantized.nodes.find((n) => n.proto.output?.[0] === nodeInputs(fc)[1])!;
    expect(readTensorValues(quantized.initializers.get(nodeInputs(weightDq)[2]!)!)).toEqual(new Int8Array(8));
  });

  it('is fused into QLinearConv, QGemm and MatMulIntegerToFloat by ONNX Runtime', async () => {
    for (const symmetric of [true, false]) {
      const quantized = await quantizeActivationsStatic(weights, params({ symmetric }), context());
      const ops = await ortOptimizedOps(encodeModel(modelFromGraph(quantized)));
      expect(ops).toEqual(expect.arrayContaining(['com.microsoft:QLinearConv', 'com.microsoft:QGemm', 'com.microsoft:MatMulIntegerToFloat']));
      expect(ops).not.toContain('Conv');
      expect(ops).not.toContain('Gemm');
      expect(ops).not.toContain('MatMul');
    }
  });

  // Tolerance: ONNX Runtime's int8 kernels requantize in fixed point, so a value on a rounding
  // boundary may land one step away from the simulation's; on these models that never happens
  // (observed max 1.2e-7), and 1e-5 leaves room only for float summation order.
  it('runs in onnxruntime-web and agrees with the float simulation to 1e-5, for every calibration', async () => {
    for (const symmetric of [true, false]) {
      for (const calibration of ['minmax', 'percentile', 'entropy', 'mse'] as CalibrationMethod[]) {
        const quantized = await quantizeActivationsStatic(weights, params({ symmetric, calibration }), context());
        const simulated = logitsOf(await runSimulation(simulateQdqGraph(quantized, kernels), feeds, runModelInNode));
        const web = compareLogits(logitsOf(await runModelInNode(encodeModel(modelFromGraph(quantized)), feeds)), simulated, 5);
        expect(web.max, `${calibration}, symmetric ${symmetric}`).toBeLessThan(1e-5);
        // ... while the activations' quantization itself moves the logits by far more than that.
        const float = compareLogits(logitsOf(await runModelInNode(encodeModel(modelFromGraph(weights)), feeds)), simulated, 5);
        expect(float.max).toBeGreaterThan(1e-3);
      }
    }
  });

  // onnxruntime-node's u8s8/s8s8 kernels on x86 CPUs without VNNI add pairs of 8-bit products in
  // int16 with saturation (vpmaddubsw), so with full-range int8 weights native results drift from
  // the exact answer (ONNX Runtime's documented reason for `reduce_range`). With 7-bit weights no
  // pair can saturate, and native must agree exactly too; with full-range weights it must run.
  it('runs in onnxruntime-node: exactly the simulation with 7-bit weights, and with full-range weights too', async () => {
    const sevenBit = quantizeWeightsInt8PerChannel(convGemmMatMulGraph(), kernels, { limit: 63 });
    for (const symmetric of [true, false]) {
      const quantized = await quantizeActivationsStatic(sevenBit, params({ symmetric }), context());
      const simulated = logitsOf(await runSimulation(simulateQdqGraph(quantized, kernels), feeds, runModelInNode));
      const native = compareLogits((await runWithOrtNode(encodeModel(modelFromGraph(quantized)), feeds as never)).logits!.data as Float32Array, simulated, 5);
      expect(native.max).toBeLessThan(1e-5);

      const fullRange = await quantizeActivationsStatic(weights, params({ symmetric }), context());
      const output = (await runWithOrtNode(encodeModel(modelFromGraph(fullRange)), feeds as never)).logits!;
      expect(output.dims).toEqual([32, 5]);
      expect([...output.data].every((v) => Number.isFinite(Number(v)))).toBe(true);
    }
  });

  // ORT 1.30 fuses layers that share a uint8 activation; with int8 activations it leaves a layer
  // unfused when a DequantizeLinear it reads has other readers (its common-subexpression pass
  // merges dedicated pairs back into one), so the model then runs those layers in float.
  it('quantizes an activation that several layers read once, for all of them', async () => {
    const graph = quantizeWeightsInt8PerChannel(graphFromModel(sharedInputModel()), kernels);
    for (const symmetric of [false, true]) {
      const quantized = await quantizeActivationsStatic(graph, params({ symmetric }), context());
      expect(nodesOf(quantized, 'QuantizeLinear').filter((n) => nodeInputs(n)[0] === 'input')).toHaveLength(1);
      const convs = ['convA', 'convB'].map((id) => nodeInputs(quantized.nodes.find((n) => n.id === id)!)[0]);
      expect(convs).toEqual(['input_dequantized', 'input_dequantized']);
      const bytes = encodeModel(modelFromGraph(quantized));
      const fused = (await ortOptimizedOps(bytes)).filter((op) => op === 'com.microsoft:QLinearConv');
      expect(fused).toHaveLength(symmetric ? 0 : 2);
      const simulated = (await runSimulation(simulateQdqGraph(quantized, kernels), feeds, runModelInNode)).logits!.data as Float32Array;
      expect(compareLogits((await runModelInNode(bytes, feeds)).logits!.data as Float32Array, simulated, 32).max).toBeLessThan(1e-5);
    }
  });

  // With float weights between quantized activations, ORT 1.30 quantizes the weights itself when it
  // loads the model (and then fuses the int8 kernels), so only the unoptimized graph computes
  // exactly what the file says.
  it('quantizes the activations of float weights too; the file means the float simulation', async () => {
    const quantized = await quantizeActivationsStatic(convGemmMatMulGraph(), params(), context());
    expect(nodesOf(quantized, 'QuantizeLinear')).toHaveLength(5);
    expect(nodesOf(quantized, 'DequantizeLinear')).toHaveLength(5);
    const bytes = encodeModel(modelFromGraph(quantized));
    const simulated = logitsOf(await runSimulation(simulateQdqGraph(quantized, kernels), feeds, runModelInNode));
    expect(compareLogits(logitsOf(await runWithOrtWebUnoptimized(bytes, feeds)), simulated, 5).max).toBeLessThan(1e-5);
    expect(await ortOptimizedOps(bytes)).toContain('com.microsoft:QLinearConv');
    expect(compareLogits(logitsOf(await runModelInNode(bytes, feeds)), simulated, 5).agreement).toBe(1);
  });

  it('leaves biases float below opset 13, where DequantizeLinear has no axis', async () => {
    const at13 = await quantizeActivationsStatic(quantizeWeightsInt8PerChannel(convGemmMatMulGraph({ opset: 13 }), kernels, { perTensor: true }), params(), context());
    expect(nodesOf(at13, 'DequantizeLinear').filter((n) => quantizedInitializerType(at13, n) === DataType.INT32)).toHaveLength(2);
    const at12 = await quantizeActivationsStatic(quantizeWeightsInt8PerChannel(convGemmMatMulGraph({ opset: 12 }), kernels, { perTensor: true }), params(), context());
    expect(nodesOf(at12, 'DequantizeLinear').filter((n) => quantizedInitializerType(at12, n) === DataType.INT32)).toHaveLength(0);
    // A float bias between quantized operands is quantized by ORT itself at load: the file's meaning is
    // checked unoptimized, and the optimized run must still agree on every class.
    const bytes = encodeModel(modelFromGraph(at12));
    const simulated = logitsOf(await runSimulation(simulateQdqGraph(at12, kernels), feeds, runModelInNode));
    expect(compareLogits(logitsOf(await runWithOrtWebUnoptimized(bytes, feeds)), simulated, 5).max).toBeLessThan(1e-5);
    expect(compareLogits(logitsOf(await runModelInNode(bytes, feeds)), simulated, 5).agreement).toBe(1);
  });

  it('writes the same file with the wasm pass kernels as with the JS reference, for every calibration', async () => {
    const wasm = await createWasmPassKernels();
    for (const calibration of ['minmax', 'percentile', 'entropy', 'mse'] as CalibrationMethod[]) {
      for (const symmetric of [true, false]) {
        const [viaJs, viaWasm] = await Promise.all([kernels, wasm].map((k) => quantizeActivationsStatic(weights, params({ calibration, symmetric }), context({ kernels: k }))));
        expect(encodeModel(modelFromGraph(viaWasm!)), `${calibration}, symmetric ${symmetric}`).toEqual(encodeModel(modelFromGraph(viaJs!)));
      }
    }
  });

  it('returns the graph itself when no layer is in scope', async () => {
    const graph = convGemmMatMulGraph();
    expect(await quantizeActivationsStatic(graph, params({ layers: [] }), context())).toBe(graph);
  });

  it('reports progress up to 1 and stops when cancelled', async () => {
    const fractions: number[] = [];
    await quantizeActivationsStatic(weights, params({ calibration: 'mse' }), context({ progress: (f) => fractions.push(f) }));
    expect(fractions.at(-1)).toBe(1);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
    const controller = new AbortController();
    controller.abort();
    await expect(quantizeActivationsStatic(weights, params(), context({ signal: controller.signal }))).rejects.toThrow(PassCancelledError);
  });

  it('says what it needs when it cannot calibrate', async () => {
    const withoutData = context();
    delete withoutData.calibration;
    await expect(quantizeActivationsStatic(weights, params(), withoutData)).rejects.toThrow(PassError);
    await expect(quantizeActivationsStatic(weights, params(), withoutData)).rejects.toThrow(/static activation quantization needs a calibration dataset/);
    await expect(quantizeActivationsStatic(weights, params({ calibrationSamples: 0 }), context())).rejects.toThrow(/calibrationSamples must be a whole number of images ≥ 1, got 0/);
    await expect(quantizeActivationsStatic(weights, params({ calibration: 'percentile', percentile: 40 }), context())).rejects.toThrow(/percentile must be in \(50, 100\]/);
    await expect(quantizeActivationsStatic(weights, params({ exclude: ['conv2'] }), context())).rejects.toThrow(/'conv2', which is not a layer/);
  });
});

function quantizedInitializerType(graph: Graph, dequantize: Graph['nodes'][number]): number | undefined {
  return graph.initializers.get(nodeInputs(dequantize)[0] ?? '')?.dataType ?? undefined;
}
