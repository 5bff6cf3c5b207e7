// The bundled sample models before training: their architectures, built as ONNX graphs with seeded
// initial weights. `trainSamples.ts` trains each with Whittle's own engine and writes the result.
// Every sample takes float32 `input` (N, 1, 28, 28) in [0, 1] and returns `logits` (N, 10)
// (DESIGN.md), so any sample evaluates on any dataset in that layout.
import { DataType } from '../../src/core/onnx/dataType.js';
import { ModelBuilder } from '../../src/core/graph/ModelBuilder.js';
import type { onnx } from '../../src/core/onnx/generated/onnx.js';
import { seededRandom } from '../../src/core/random/seededRandom.js';
import { LayerBuilder } from './LayerBuilder.js';

export type SampleDatasetId = 'fashion-mnist' | 'mnist';

export interface SampleArchitecture {
  id: string;
  name: string;
  dataset: SampleDatasetId;
  description: string;
  /** One line per stage, for the model card. */
  layers: string[];
  /** The untrained model. Deterministic for a given seed. */
  build(seed: number): onnx.ModelProto;
}

const OPSET = 17;
const CLASSES = 10;

function startModel(id: string, description: string, seed: number) {
  const model = new ModelBuilder({ opset: OPSET, graphName: id, docString: description, metadata: { 'whittle.sample': id } });
  const layers = new LayerBuilder(model, seededRandom(seed));
  const input = model.input('input', DataType.FLOAT, ['N', 1, 28, 28]);
  return { model, layers, input };
}

function finish(model: ModelBuilder): onnx.ModelProto {
  model.output('logits', DataType.FLOAT, ['N', CLASSES]);
  return model.build();
}

/** 784-256-128-10 multilayer perceptron. */
const fashionMlp: SampleArchitecture = {
  id: 'fashion-mlp',
  name: 'Fashion MLP',
  dataset: 'fashion-mnist',
  description: 'A 784-256-128-10 multilayer perceptron for Fashion-MNIST.',
  layers: ['Flatten (784)', 'Gemm 256 → Relu', 'Gemm 128 → Relu', 'Gemm 10 (logits)'],
  build(seed) {
    const { model, layers, input } = startModel(this.id, this.description, seed);
    let x = layers.flatten('flatten', input);
    x = layers.relu('relu1', layers.linear('fc1', x, 784, 256));
    x = layers.relu('relu2', layers.linear('fc2', x, 256, 128));
    layers.linear('fc3', x, 128, CLASSES, { last: true, outputName: 'logits' });
    return finish(model);
  },
};

/** Two Conv+BN+Relu+MaxPool blocks and a two-layer classifier. */
function convNet(id: string, name: string, dataset: SampleDatasetId, widths: [number, number], hidden: number): SampleArchitecture {
  const flat = widths[1] * 7 * 7;
  return {
    id,
    name,
    dataset,
    description: `Two Conv 3×3 + BatchNorm + Relu + MaxPool blocks (${widths[0]}, ${widths[1]} channels) and a ${hidden}-unit classifier, for ${dataset === 'mnist' ? 'MNIST digits' : 'Fashion-MNIST'}.`,
    layers: [
      `Conv 3×3, ${widths[0]} channels → BatchNormalization → Relu → MaxPool 2×2   (N, ${widths[0]}, 14, 14)`,
      `Conv 3×3, ${widths[1]} channels → BatchNormalization → Relu → MaxPool 2×2   (N, ${widths[1]}, 7, 7)`,
      `Flatten (${flat}) → Gemm ${hidden} → Relu → Gemm 10 (logits)`,
    ],
    build(seed) {
      const { model, layers, input } = startModel(id, this.description, seed);
      let x = input;
      let channels = 1;
      widths.forEach((width, i) => {
        const n = i + 1;
        x = layers.conv(`conv${n}`, x, channels, width, { kernel: 3 });
        x = layers.relu(`relu${n}`, layers.batchNorm(`bn${n}`, x, width));
        x = layers.maxPool(`pool${n}`, x, 2);
        channels = width;
      });
      x = layers.flatten('flatten', x);
      x = layers.relu('relu3', layers.linear('fc1', x, flat, hidden));
      layers.linear('fc2', x, hidden, CLASSES, { last: true, outputName: 'logits' });
      return finish(model);
    },
  };
}

interface InvertedResidual {
  out: number;
  expand: number;
  stride: number;
}

// The stem halves the image (28 → 14), as MobileNets do, so the blocks work on small maps:
// (N, 16, 14, 14) → 16 → 24 (/2) → 24 → 32 → 32 → (N, 32, 7, 7)
const MOBILENET_BLOCKS: InvertedResidual[] = [
  { out: 16, expand: 2, stride: 1 },
  { out: 24, expand: 4, stride: 2 },
  { out: 24, expand: 4, stride: 1 },
  { out: 32, expand: 4, stride: 1 },
  { out: 32, expand: 4, stride: 1 },
];
const MOBILENET_STEM = 16;
const MOBILENET_HEAD = 128;

/** MobileNetV2-style: depthwise-separable inverted residual blocks with ReLU6 and linear bottlenecks. */
const fashionMobilenet: SampleArchitecture = {
  id: 'fashion-mobilenet',
  name: 'Fashion MobileNet',
  dataset: 'fashion-mnist',
  description: 'A MobileNetV2-style network (depthwise-separable inverted residual blocks, ReLU6, linear bottlenecks) for Fashion-MNIST.',
  layers: [
    `Conv 3×3 stride 2, ${MOBILENET_STEM} channels → BatchNormalization → ReLU6   (N, ${MOBILENET_STEM}, 14, 14)`,
    ...MOBILENET_BLOCKS.map(
      (b) => `Inverted residual: 1×1 expand ×${b.expand} → ReLU6 → depthwise 3×3 stride ${b.stride} → ReLU6 → 1×1 project to ${b.out}${b.stride === 1 ? ' (+ residual Add when shapes match)' : ''}`,
    ),
    `1×1 Conv ${MOBILENET_HEAD} → BatchNormalization → ReLU6 → GlobalAveragePool → Gemm 10 (logits)`,
  ],
  build(seed) {
    const { model, layers, input } = startModel(this.id, this.description, seed);
    const convBn = (name: string, x: string, inC: number, outC: number, kernel: number, stride = 1, groups = 1) =>
      layers.batchNorm(`${name}.bn`, layers.conv(`${name}.conv`, x, inC, outC, { kernel, stride, groups, bias: false }), outC);

    let x = layers.relu6('stem.relu6', convBn('stem', input, 1, MOBILENET_STEM, 3, 2));
    let channels = MOBILENET_STEM;
    MOBILENET_BLOCKS.forEach((block, i) => {
      const name = `block${i + 1}`;
      const hidden = channels * block.expand;
      let y = layers.relu6(`${name}.expand.relu6`, convBn(`${name}.expand`, x, channels, hidden, 1));
      y = layers.relu6(`${name}.depthwise.relu6`, convBn(`${name}.depthwise`, y, hidden, hidden, 3, block.stride, hidden));
      y = convBn(`${name}.project`, y, hidden, block.out, 1);
      x = block.stride === 1 && block.out === channels ? layers.add(`${name}.residual`, x, y) : y;
      channels = block.out;
    });
    x = layers.relu6('head.relu6', convBn('head', x, channels, MOBILENET_HEAD, 1));
    x = layers.flatten('flatten', layers.globalAveragePool('pool', x));
    layers.linear('classifier', x, MOBILENET_HEAD, CLASSES, { last: true, outputName: 'logits' });
    return finish(model);
  },
};

export const SAMPLE_ARCHITECTURES: readonly SampleArchitecture[] = [
  fashionMlp,
  convNet('fashion-cnn', 'Fashion CNN', 'fashion-mnist', [16, 32], 128),
  fashionMobilenet,
  convNet('mnist-cnn', 'MNIST CNN', 'mnist', [16, 32], 64),
];

export function sampleArchitecture(id: string): SampleArchitecture {
  const found = SAMPLE_ARCHITECTURES.find((a) => a.id === id);
  if (!found) throw new Error(`unknown sample '${id}'; known: ${SAMPLE_ARCHITECTURES.map((a) => a.id).join(', ')}`);
  return found;
}
