// A RunModel (passes/Pass.ts) over ONNX Runtime through eval/ort.ts: what static calibration runs
// its observed models with when the services are in-process (the CLI, tests). One session per
// call, released after it; feeds of any RuntimeFeed type, every output copied out.
import { createSession, describeRuntimeError, disposeSession, numericTensor, type RuntimeTensor } from '../../eval/ort.js';
import { PassError, type RunModel, type RuntimeFeed } from '../../passes/Pass.js';

const OUTPUT_TYPES = new Set<string>(['float32', 'int64', 'int32', 'uint8', 'int8']);

export const runModelWithRuntime: RunModel = async (modelBytes, feeds) => {
  let runtime;
  try {
    runtime = await createSession(modelBytes);
  } catch (error) {
    throw new PassError('calibration', `ONNX Runtime cannot open the model to observe it: ${describeRuntimeError(error)}`);
  }
  try {
    const inputs: Record<string, RuntimeTensor> = {};
    for (const [name, feed] of Object.entries(feeds)) inputs[name] = numericTensor(feed.type, feed.data, feed.dims);
    let results: Record<string, RuntimeTensor>;
    try {
      results = await runtime.session.run(inputs);
    } catch (error) {
      throw new PassError('calibration', `ONNX Runtime could not run the model: ${describeRuntimeError(error)}`);
    }
    const outputs: Record<string, RuntimeFeed> = {};
    try {
      for (const [name, tensor] of Object.entries(results)) {
        if (!OUTPUT_TYPES.has(tensor.type)) throw new PassError('calibration', `output '${name}' is ${tensor.type}; calibration reads float32 and integer tensors`);
        outputs[name] = { type: tensor.type as RuntimeFeed['type'], data: (tensor.data as RuntimeFeed['data']).slice() as RuntimeFeed['data'], dims: [...tensor.dims] };
      }
    } finally {
      for (const tensor of Object.values(results)) tensor.dispose();
    }
    return outputs;
  } finally {
    await disposeSession(runtime);
  }
};
