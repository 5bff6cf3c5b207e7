// Opening a model file: decode, resolve external data, check tensors and graph structure, and
// build the Graph IR. The one entry point the engine worker and the CLI use.
import { decodeModel, ModelFileError, type DecodeOptions } from '../onnx/modelFile.js';
import { graphFromModel, type Graph } from './Graph.js';
import { validateModelGraph } from './validate.js';

export interface OpenedModel {
  fileName: string;
  fileBytes: number;
  graph: Graph;
}

export function openModel(bytes: Uint8Array, options: DecodeOptions & { fileName: string }): OpenedModel {
  const model = decodeModel(bytes, options);
  const problems = validateModelGraph(model);
  if (problems.length > 0) {
    const first = problems[0]!;
    const where = first.path === 'graph' ? '' : ` (in ${first.path})`;
    const more = problems.length > 1 ? `; ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''}` : '';
    throw new ModelFileError(options.fileName, 'invalid-graph', `invalid graph: ${first.message}${where}${more}`);
  }
  return { fileName: options.fileName, fileBytes: bytes.length, graph: graphFromModel(model) };
}
