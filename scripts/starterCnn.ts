// The "starter-cnn" sample: a small, untrained convolutional classifier for 28×28 grey images, built
// in code with seeded He-initialised weights. It stands in until trained samples land, so the studio
// and the CLI have a real model to open. `makeStarterModel.ts` writes it (and its model card) to
// public/samples/; its test checks the committed file is exactly what this module builds.
//
//   input (N, 1, 28, 28)
//   → Conv 3×3 (16) → BatchNormalization → Relu → MaxPool 2×2   (N, 16, 14, 14)
//   → Conv 3×3 (32) → BatchNormalization → Relu → MaxPool 2×2   (N, 32, 7, 7)
//   → Flatten (N, 1568) → Gemm (128) → Relu → Gemm (10) → logits (N, 10)
import { DataType } from '../src/core/onnx/dataType.js';
import { encodeModel } from '../src/core/onnx/modelFile.js';
import { ModelBuilder, float } from '../src/core/graph/ModelBuilder.js';
import { seededRandom, type Random } from '../src/core/random/seededRandom.js';

export const STARTER_CNN_ID = 'starter-cnn';
export const STARTER_CNN_SEED = 20261122;
export const STARTER_CNN_OPSET = 17;
export const REGENERATE_COMMAND = 'npm run gen:samples';

const BLOCKS = [
  { name: '1', inChannels: 1, outChannels: 16 },
  { name: '2', inChannels: 16, outChannels: 32 },
] as const;
const IMAGE_SIZE = 28;
const HIDDEN = 128;
const CLASSES = 10;
const FLAT = BLOCKS[1].outChannels * (IMAGE_SIZE / 4) * (IMAGE_SIZE / 4); // two 2×2 pools: 28 → 7

/** He (Kaiming) normal initialisation: N(0, 2 / fanIn), right for layers followed by Relu. */
function heNormal(random: Random, count: number, fanIn: number): Float32Array {
  const std = Math.sqrt(2 / fanIn);
  return Float32Array.from({ length: count }, () => random.normal() * std);
}

const filled = (count: number, value: number) => new Float32Array(count).fill(value);

const DESCRIPTION =
  'Untrained sample CNN for 28×28 grey images (seeded He-initialised weights). ' +
  'Exists until trained samples land; its predictions are meaningless.';

/** The model's metadata_props, also repeated in the model card. */
export const STARTER_CNN_METADATA: Record<string, string> = {
  'whittle.sample': STARTER_CNN_ID,
  'whittle.trained': 'false',
  'whittle.seed': String(STARTER_CNN_SEED),
  'whittle.regenerate': REGENERATE_COMMAND,
  description: DESCRIPTION,
  input: 'input: float32 (N, 1, 28, 28), pixel values in [0, 1]',
  output: 'logits: float32 (N, 10), unnormalised class scores',
};

/** Builds the serialized model. Deterministic: the same bytes on every call. */
export function buildStarterCnn(): Uint8Array {
  const random = seededRandom(STARTER_CNN_SEED);
  const b = new ModelBuilder({
    opset: STARTER_CNN_OPSET,
    graphName: STARTER_CNN_ID,
    docString: DESCRIPTION,
    metadata: STARTER_CNN_METADATA,
  });
  let x = b.input('input', DataType.FLOAT, ['N', 1, IMAGE_SIZE, IMAGE_SIZE]);

  for (const { name, inChannels, outChannels } of BLOCKS) {
    const fanIn = inChannels * 3 * 3;
    const w = b.initializer(`conv${name}.weight`, DataType.FLOAT, [outChannels, inChannels, 3, 3], heNormal(random, outChannels * fanIn, fanIn));
    const bias = b.initializer(`conv${name}.bias`, DataType.FLOAT, [outChannels], filled(outChannels, 0));
    [x] = b.node('Conv', [x, w, bias], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] }, { name: `conv${name}` }) as [string];
    // Freshly initialised batch norm (PyTorch defaults): scale 1, shift 0, running mean 0, variance 1.
    const scale = b.initializer(`bn${name}.weight`, DataType.FLOAT, [outChannels], filled(outChannels, 1));
    const shift = b.initializer(`bn${name}.bias`, DataType.FLOAT, [outChannels], filled(outChannels, 0));
    const mean = b.initializer(`bn${name}.running_mean`, DataType.FLOAT, [outChannels], filled(outChannels, 0));
    const variance = b.initializer(`bn${name}.running_var`, DataType.FLOAT, [outChannels], filled(outChannels, 1));
    [x] = b.node('BatchNormalization', [x, scale, shift, mean, variance], { epsilon: float(1e-5), momentum: float(0.9) }, { name: `bn${name}` }) as [string];
    [x] = b.node('Relu', [x], {}, { name: `relu${name}` }) as [string];
    [x] = b.node('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] }, { name: `pool${name}` }) as [string];
  }

  [x] = b.node('Flatten', [x], { axis: 1 }, { name: 'flatten' }) as [string];
  const w1 = b.initializer('fc1.weight', DataType.FLOAT, [HIDDEN, FLAT], heNormal(random, HIDDEN * FLAT, FLAT));
  const b1 = b.initializer('fc1.bias', DataType.FLOAT, [HIDDEN], filled(HIDDEN, 0));
  [x] = b.node('Gemm', [x, w1, b1], { transB: 1 }, { name: 'fc1' }) as [string];
  [x] = b.node('Relu', [x], {}, { name: 'relu3' }) as [string];
  // The last layer has no Relu after it: Glorot-like N(0, 1 / fanIn) keeps the logits near unit scale.
  const w2 = b.initializer('fc2.weight', DataType.FLOAT, [CLASSES, HIDDEN], heNormal(random, CLASSES * HIDDEN, 2 * HIDDEN));
  const b2 = b.initializer('fc2.bias', DataType.FLOAT, [CLASSES], filled(CLASSES, 0));
  b.node('Gemm', [x, w2, b2], { transB: 1 }, { name: 'fc2', outputs: ['logits'] });
  b.output('logits', DataType.FLOAT, ['N', CLASSES]);
  return encodeModel(b.build());
}

export interface StarterCnnCard {
  type: 'whittle-model-card';
  version: 1;
  id: string;
  name: string;
  file: string;
  trained: false;
  description: string;
  input: { name: string; dtype: string; shape: (number | string)[]; range: [number, number] };
  output: { name: string; dtype: string; shape: (number | string)[] };
  architecture: string[];
  opset: number;
  parameters: number;
  fileBytes: number;
  initialization: string;
  seed: number;
  regenerate: string;
}

/** The model card written beside the model, describing it for people and for the studio's sample list. */
export function starterCnnCard(modelBytes: Uint8Array, parameters: number): StarterCnnCard {
  return {
    type: 'whittle-model-card',
    version: 1,
    id: STARTER_CNN_ID,
    name: 'Starter CNN (untrained)',
    file: `${STARTER_CNN_ID}.onnx`,
    trained: false,
    description: `${DESCRIPTION} Use it to explore the studio and the CLI; accuracy on any dataset is chance level (about 10%).`,
    input: { name: 'input', dtype: 'float32', shape: ['N', 1, IMAGE_SIZE, IMAGE_SIZE], range: [0, 1] },
    output: { name: 'logits', dtype: 'float32', shape: ['N', CLASSES] },
    architecture: [
      'Conv 3×3, 16 channels, pad 1 → BatchNormalization → Relu → MaxPool 2×2',
      'Conv 3×3, 32 channels, pad 1 → BatchNormalization → Relu → MaxPool 2×2',
      `Flatten (${FLAT}) → Gemm ${HIDDEN} → Relu → Gemm ${CLASSES}`,
    ],
    opset: STARTER_CNN_OPSET,
    parameters,
    fileBytes: modelBytes.length,
    initialization: 'He normal N(0, 2/fanIn) for convolutions and the hidden Gemm, N(0, 1/fanIn) for the last Gemm; zero biases; batch norm at its initial state (scale 1, shift 0, mean 0, variance 1)',
    seed: STARTER_CNN_SEED,
    regenerate: REGENERATE_COMMAND,
  };
}
