// The peer for the training benchmark: the same fashion-cnn architecture trained by TensorFlow.js in
// this process, with the same batch size, optimizer and data. TF.js's wasm backend has no
// Conv2DBackpropFilter or MaxPoolGrad kernels (it cannot train a CNN), so the peer is its pure-JS
// `cpu` backend — the backend TF.js itself uses for training when nothing native is present.
import * as tf from '@tensorflow/tfjs';
import { performance } from 'node:perf_hooks';

export interface PeerThroughput {
  backend: string;
  samplesPerSecond: number;
  /** Mean training loss of the timed batches: shows the peer really trained. */
  meanLoss: number;
  batches: number;
  batchSize: number;
}

/** fashion-cnn in TF.js layers: widths and hidden units must match scripts/samples/sampleArchitectures.ts. */
function fashionCnn(widths: readonly [number, number], hidden: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: widths[0], kernelSize: 3, padding: 'same' }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.reLU());
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: widths[1], kernelSize: 3, padding: 'same' }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.reLU());
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: hidden, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10 }));
  return model;
}

/**
 * Trains `warmupBatches + batches` batches of (N, 28, 28, 1) images and times the last `batches`.
 * `images` are float32 in [0, 1], laid out (count, 28, 28) — the same pixels our engine sees as NCHW
 * with C = 1.
 */
export async function measureTfjsTraining(options: {
  images: Float32Array;
  labels: Int32Array;
  batchSize: number;
  batches: number;
  warmupBatches: number;
  widths: readonly [number, number];
  hidden: number;
}): Promise<PeerThroughput> {
  await tf.setBackend('cpu');
  await tf.ready();
  const { images, labels, batchSize, batches, warmupBatches } = options;
  const model = fashionCnn(options.widths, options.hidden);
  const optimizer = tf.train.adam(0.001);
  const count = labels.length;
  const losses: number[] = [];
  let timedMs = 0;
  for (let step = 0; step < warmupBatches + batches; step++) {
    const start = ((step * batchSize) % Math.max(1, count - batchSize)) | 0;
    const x = tf.tensor4d(images.subarray(start * 784, (start + batchSize) * 784), [batchSize, 28, 28, 1]);
    const y = tf.oneHot(tf.tensor1d(labels.subarray(start, start + batchSize), 'int32'), 10);
    const began = performance.now();
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true) as tf.Scalar;
    const value = (await loss.data())[0]!;
    if (step >= warmupBatches) {
      timedMs += performance.now() - began;
      losses.push(value);
    }
    tf.dispose([x, y, loss]);
  }
  model.dispose();
  optimizer.dispose();
  return {
    backend: `tfjs ${tf.version.tfjs} ${tf.getBackend()}`,
    samplesPerSecond: (batches * batchSize) / (timedMs / 1000),
    meanLoss: losses.reduce((a, b) => a + b, 0) / losses.length,
    batches,
    batchSize,
  };
}
