// The in-app help of each block: a one-line explanation (the palette shows it), what the block does,
// when to reach for it, and each parameter with its meaning. Defaults are not written here: the help
// page reads them from the block vocabulary (blockParams.ts), so they cannot drift from what runs.
// Figures quoted are the well-known results of DOMAIN.md, for a sense of scale.
import type { BlockType } from '../../core/pipeline/blockParams';

export interface ParamHelp {
  name: string;
  /** What it means and what values it takes. */
  text: string;
}

export interface BlockHelp {
  /** One line for the palette. */
  summary: string;
  what: string;
  when: string;
  params: ParamHelp[];
}

/** Scope params every block takes; the help page lists them after the block's own. */
export const SCOPE_HELP: ParamHelp[] = [
  { name: 'layers', text: 'Only these layers (by name). Set it by dropping the block onto layers in the model graph.' },
  { name: 'exclude', text: 'Never these layers — "keep in float" for a quantize block.' },
  { name: 'keepFirstLast', text: 'Leave the first and the last layer alone, the ones that usually suffer most.' },
];

export const BLOCK_HELP: Record<BlockType, BlockHelp> = {
  quantize: {
    summary: 'Store weights in fewer bits: int8, int4, down to 2 bits, or float16.',
    what: 'Replaces each weight tensor by low-bit integers and a scale (per tensor, per output channel or per group of weights). The saved model carries the integers and dequantizes them when it runs. With activations "static" it also quantizes what flows between layers, calibrated on sample images.',
    when: 'Almost always first: int8 per-channel makes a model about 4× smaller for a fraction of a point (ResNet-50: 75.2 → 75.0 top-1). int4 makes it about 8× smaller; below 4 bits accuracy falls faster — sweep the bits and look at the chart, and run Sensitivity to see which layers to keep in float.',
    params: [
      { name: 'bits', text: '2, 3, 4 or 8 for integers, 16 for float16. Enter several to sweep.' },
      { name: 'granularity', text: 'One scale per tensor, per output channel, or per group of weights. Per-channel is the safe default; groups suit int4.' },
      { name: 'groupSize', text: 'Weights per scale when granularity is "group" (32–128 is usual).' },
      { name: 'symmetric', text: 'A zero point of 0 (symmetric) or a fitted one (asymmetric, for skewed weights).' },
      { name: 'activations', text: '"none" quantizes weights only; "static" also activations, calibrated on images; "dynamic" leaves activation ranges to run time.' },
      { name: 'calibration', text: 'How static activation ranges are chosen: min/max, a percentile, entropy (KL) or least squared error.' },
      { name: 'calibrationSamples', text: 'Images used to calibrate static activations.' },
      { name: 'format', text: 'How 4-bit MatMul/Gemm weights are written: "qdq" (standard int4 DequantizeLinear) or "matmulnbits" (ONNX Runtime’s packed operator).' },
      { name: 'percentile', text: 'The percentile of activation values kept by "percentile" calibration.' },
    ],
  },
  prune: {
    summary: 'Zero out the least important weights, or remove whole channels.',
    what: 'Ranks weights by a criterion and sets the lowest to zero: any weight (unstructured), two of every four (2:4), or whole output channels (which really shrinks tensors and compute, with the layers that depend on them adjusted).',
    when: 'When the download size matters (zeros compress well) or, for channel pruning, when compute does. 50 % unstructured is often nearly free after fine-tuning — put a Fine-tune block after it.',
    params: [
      { name: 'sparsity', text: 'Fraction of weights removed, 0 to 0.99.' },
      { name: 'pattern', text: '"unstructured", "2:4" (two of every four weights) or "channel" (whole output channels).' },
      { name: 'scope', text: 'Reach the sparsity in each layer ("layer") or over the whole model ("global", so robust layers lose more).' },
      { name: 'criterion', text: 'What importance means: weight magnitude, the L1 or L2 norm of a channel, or its batch-norm scale.' },
    ],
  },
  distill: {
    summary: 'Train a smaller student network to copy the model’s outputs.',
    what: 'Builds a student (the same architecture at a fraction of the width, a template, or a sample model) and trains it on the training images to match the teacher’s softened outputs as well as the labels. Training runs in a worker in your browser.',
    when: 'When quantizing and pruning are not enough and you can wait for training: a student can be several times smaller at a small cost (DistilBERT: 40 % smaller, 97 % of the performance).',
    params: [
      { name: 'student', text: '{ "width": 0.5 } for the teacher at half width, { "template": ID } or { "sample": ID }.' },
      { name: 'temperature', text: 'How much the teacher’s outputs are softened; higher shares more about the wrong classes.' },
      { name: 'alpha', text: 'Weight of the teacher’s soft targets against the true labels (0 = labels only; 1 = the teacher only, which needs no labels at all — distillation works on unlabelled images).' },
      { name: 'epochs', text: 'Passes over the training images.' },
      { name: 'batchSize', text: 'Images per training step.' },
      { name: 'learningRate', text: 'Step size of the optimizer.' },
      { name: 'optimizer', text: '"adam" or "sgd".' },
      { name: 'trainSamples', text: 'Train on at most this many training images (faster, a little less accurate); all when left out.' },
    ],
  },
  finetune: {
    summary: 'Train the compressed model a little to win back accuracy.',
    what: 'Continues training the model it receives for a few epochs, by default also learning from the original model (before any compression) as a teacher. Pruned weights stay zero. After a quantize block it trains with quantization simulated (QAT), so the weights learn to live with fewer bits, then quantizes again with the same scheme: the file keeps its format and size.',
    when: 'After pruning or low-bit quantization has cost accuracy: QAT usually lands within about a point of float (EfficientNet-B0: 71.7 after PTQ, 75.8 with QAT).',
    params: [
      { name: 'epochs', text: 'Passes over the training images.' },
      { name: 'learningRate', text: 'Step size; small, since the model is already trained.' },
      { name: 'distill', text: 'Learn from the original, uncompressed model as a teacher as well as from the labels.' },
      { name: 'qat', text: 'Simulate quantization while training; on by default when a block upstream quantized.' },
      { name: 'trainSamples', text: 'Train on at most this many training images; all when left out.' },
    ],
  },
  lowrank: {
    summary: 'Replace big weight matrices by two thin factors (truncated SVD).',
    what: 'Factorizes each large MatMul/Gemm or convolution weight into two smaller ones by a truncated singular value decomposition, keeping the given fraction of the full rank.',
    when: 'For models dominated by large fully connected layers; sweep the rank to see the size–error curve. Narrow layers gain little.',
    params: [{ name: 'rank', text: 'Fraction of the full rank kept, above 0 and up to 1.' }],
  },
  cluster: {
    summary: 'Share weights: each weight becomes an index into a small codebook.',
    what: 'Groups each layer’s weights into k clusters (k-means) and stores a codebook of k values plus an index per weight, so a weight costs log2(k) bits.',
    when: 'As an alternative to uniform quantization when weights are far from evenly spread; combined with pruning it is the heart of Deep Compression (AlexNet 35× smaller).',
    params: [{ name: 'clusters', text: 'Codebook size per layer, 2 to 256 (16 = 4 bits per weight).' }],
  },
  foldbn: {
    summary: 'Fold batch normalization into the convolution before it.',
    what: 'Merges each BatchNormalization that follows a convolution or linear layer into that layer’s weights and bias. The predictions stay the same; the model has fewer operators.',
    when: 'Before quantizing a network with batch norm (quantizing folded weights is what runs), and whenever a few percent of latency matter. It has no parameters.',
    params: [],
  },
  sensitivity: {
    summary: 'Measure how much each layer alone costs in accuracy.',
    what: 'Compresses one layer at a time (quantized to the given bits, or pruned to the given sparsity), evaluates, and charts the accuracy drop per layer. The model graph can be coloured by the result.',
    when: 'When a quantized or pruned model lost more accuracy than expected: it shows which layers to keep in float (exclude) or treat more gently.',
    params: [
      { name: 'mode', text: '"quantize" or "prune" each layer.' },
      { name: 'bits', text: 'Bits each layer is quantized to in "quantize" mode.' },
      { name: 'sparsity', text: 'Fraction pruned from each layer in "prune" mode.' },
    ],
  },
  auto: {
    summary: 'Search per-layer settings for the smallest model within an accuracy budget.',
    what: 'Measures each layer’s sensitivity, then chooses bits per layer to make the model as small as possible while the accuracy drop stays within the budget — and verifies every candidate by evaluating it, so the budget holds on the real model.',
    when: 'When you want the smallest model that still meets an accuracy target and do not want to tune layers by hand.',
    params: [
      { name: 'maxDrop', text: 'Accuracy points the model may lose at most.' },
      { name: 'objective', text: 'What to minimize: "size".' },
    ],
  },
};
