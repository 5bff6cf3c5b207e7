// The training engine's public surface: build or load a model, train it, export it.
//
//   const model = trainableFromOnnx(graph, { modelName: 'fashion-cnn.onnx' });
//   const history = await fit({ model, kernels: await createWasmKernels(), data, batchSize: 64, epochs: 3,
//                               optimizer: new Adam(), schedule: { type: 'cosine', learningRate: 1e-3, totalSteps }, seed: 1 });
//   const bytes = encodeTrainable(model);   // the source graph with the trained weights
export { Tensor } from './Tensor.js';
export { Tape, type OpContext } from './autograd.js';
export { TrainableModel, type CompiledNode, type ModelInput } from './TrainableModel.js';
export { trainableFromOnnx, UnsupportedModelError, type TrainableOptions } from './onnx/trainableFromOnnx.js';
export { encodeTrainable, onnxFromTrainable } from './onnx/onnxFromTrainable.js';
export { SUPPORTED_OPS } from './onnx/compileNode.js';
export { evaluate, fit, type Dataset, type Distillation, type EpochResult, type Evaluation, type FitOptions } from './fit.js';
export { Adam, adamW, Sgd, type AdamOptions, type Optimizer, type SgdOptions } from './optim/optimizers.js';
export { learningRateAt, type Schedule } from './optim/schedules.js';
export { countCorrect, softmaxCrossEntropy } from './losses/crossEntropy.js';
export { distillationKl } from './losses/distillation.js';
export { meanSquaredError } from './losses/mse.js';
export { weightedSum } from './losses/weightedSum.js';
export { InitializedLayers, type ConvOptions } from './InitializedLayers.js';
export { fanInOf, heUniform, torchDefault, uniform } from './init.js';
