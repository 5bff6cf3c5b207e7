// Feeding a batch of float32 images to an ONNX Runtime session and reading one output back as
// float32 — what evaluation needs beyond ort.ts, built on ort.ts's exports only, so ort.ts stays
// the one module that imports onnxruntime-web.
import { float16ArrayToFloat32 } from '../onnx/float16.js';
import { describeRuntimeError, float32Tensor, type RuntimeSession, type RuntimeTensor } from './ort.js';
import { EvaluationError } from './EvaluationError.js';

/** A session input or output as evaluation reads it. */
export interface SessionValueInfo {
  name: string;
  /** 'float32', 'uint8', ...; 'non-tensor' for sequences and maps. */
  type: string;
  shape: ReadonlyArray<number | string>;
}

function describeValues(list: RuntimeSession['session']['inputMetadata']): SessionValueInfo[] {
  return list.map((value) => (value.isTensor ? { name: value.name, type: value.type, shape: value.shape } : { name: value.name, type: 'non-tensor', shape: [] }));
}

export function sessionInputs(runtime: RuntimeSession): SessionValueInfo[] {
  return describeValues(runtime.session.inputMetadata);
}

export function sessionOutputs(runtime: RuntimeSession): SessionValueInfo[] {
  return describeValues(runtime.session.outputMetadata);
}

/** Feeds for a session with one float32 input: `data` laid out as `dims`. */
export function float32Feed(runtime: RuntimeSession, inputName: string, data: Float32Array, dims: readonly number[]): Record<string, RuntimeTensor> {
  if (runtime.session.inputNames.length === 0) throw new EvaluationError('the model has no inputs to feed');
  return { [inputName]: float32Tensor(data, dims) };
}

function asFloat32(name: string, tensor: RuntimeTensor): Float32Array {
  switch (tensor.type) {
    case 'float32':
      return (tensor.data as Float32Array).slice();
    case 'float64':
      return Float32Array.from(tensor.data as Float64Array);
    case 'float16': {
      // ORT gives float16 as raw bits (Uint16Array) where the platform lacks Float16Array.
      const data = tensor.data as ArrayLike<number>;
      return data instanceof Uint16Array ? float16ArrayToFloat32(data) : Float32Array.from(data);
    }
    default:
      throw new EvaluationError(`model output '${name}' is ${tensor.type}; evaluation needs float class scores (logits)`);
  }
}

/** The output `outputName` of one run, as float32 values and dims. */
export interface BatchOutput {
  values: Float32Array;
  dims: number[];
}

/** Runs `feeds` and returns `outputName` as float32; every output tensor is released. */
export async function runForOutput(runtime: RuntimeSession, feeds: Record<string, RuntimeTensor>, outputName: string): Promise<BatchOutput> {
  let results: Record<string, RuntimeTensor>;
  try {
    results = await runtime.session.run(feeds, [outputName]);
  } catch (error) {
    throw new EvaluationError(`ONNX Runtime could not run the model: ${describeRuntimeError(error)}`);
  }
  try {
    const tensor = results[outputName];
    if (!tensor) throw new EvaluationError(`the model gave no output '${outputName}'`);
    return { values: asFloat32(outputName, tensor), dims: [...tensor.dims] };
  } finally {
    for (const tensor of Object.values(results)) tensor.dispose();
  }
}
