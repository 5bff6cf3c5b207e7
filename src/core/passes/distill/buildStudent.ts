// Turns a student spec into the student's starting graph: `{ width }` from the teacher by channel
// pruning, `{ template }` from the built-in architectures, `{ sample }` from a bundled sample model
// (whose bytes the runtime supplies: a pure core cannot read files or fetch). Every student takes the
// teacher's input and returns logits under the teacher's output name, so the result is a drop-in
// replacement for the teacher.
import type { PassKernels } from '../../../kernels/PassKernels.js';
import type { Graph } from '../../graph/Graph.js';
import { openModel } from '../../graph/openModel.js';
import { onnx } from '../../onnx/generated/onnx.js';
import { PassError } from '../Pass.js';
import type { DistillParams } from './DistillParams.js';
import { templateStudent, type StudentShape } from './studentTemplates.js';
import { widthStudent } from './widthStudent.js';

/** Reads a bundled sample model's .onnx bytes by id (public/samples/ID.onnx). */
export type SampleModelSource = (id: string) => Promise<Uint8Array>;

export interface StudentStart {
  graph: Graph;
  /** "the teacher at width 0.5 (conv1 8 of 16 channels, …)" for the report and progress. */
  description: string;
}

/** Sample ids are plain names: no paths. */
const SAMPLE_ID = /^[a-z0-9][a-z0-9-]*$/;

export async function buildStudent(teacher: Graph, params: DistillParams, shape: StudentShape, kernels: PassKernels, loadSample: SampleModelSource | undefined): Promise<StudentStart> {
  const { student } = params;
  if ('width' in student) {
    const narrowed = widthStudent(teacher, student.width, params.criterion, kernels);
    const groups = narrowed.groups.map((g) => `${g.layers.join(' + ')} ${g.kept} of ${g.channels}`).join(', ');
    return { graph: narrowed.graph, description: `the teacher at width ${student.width} (channels kept: ${groups})` };
  }
  if ('template' in student) {
    return { graph: templateStudent(student.template, shape, params.seed), description: `template '${student.template}'` };
  }
  const id = student.sample;
  if (!SAMPLE_ID.test(id)) throw new PassError('distill', `student.sample must be a sample id like 'fashion-mlp', not ${JSON.stringify(id)}`);
  if (!loadSample) throw new PassError('distill', `the { sample: '${id}' } student needs the sample's .onnx file, and this runtime gives the distill block no sample files; use a { width } or { template } student`);
  let bytes: Uint8Array;
  try {
    bytes = await loadSample(id);
  } catch (error) {
    throw new PassError('distill', `the student sample '${id}' could not be read (${(error as Error).message})`);
  }
  const { graph } = openModel(bytes, { fileName: `${id}.onnx` });
  return { graph: withIoNames(graph, id, shape), description: `sample '${id}'` };
}

/** The sample graph with its one input and output renamed to the teacher's, when they differ. */
function withIoNames(graph: Graph, id: string, shape: StudentShape): Graph {
  const inputs = graph.inputs.filter((i) => !graph.initializers.has(i.name ?? ''));
  if (inputs.length !== 1 || graph.outputs.length !== 1) {
    throw new PassError('distill', `the student sample '${id}' has ${inputs.length} inputs and ${graph.outputs.length} outputs; a student needs one of each`);
  }
  const renames = new Map<string, string>();
  if (inputs[0]!.name !== shape.inputName) renames.set(inputs[0]!.name ?? '', shape.inputName);
  if (graph.outputs[0]!.name !== shape.outputName) renames.set(graph.outputs[0]!.name ?? '', shape.outputName);
  if (renames.size === 0) return graph;
  const rename = (name: string) => renames.get(name) ?? name;
  return {
    ...graph,
    nodes: graph.nodes.map((node) => ({ ...node, proto: new onnx.NodeProto({ ...node.proto, input: (node.proto.input ?? []).map(rename), output: (node.proto.output ?? []).map(rename) }) })),
    inputs: graph.inputs.map((i) => new onnx.ValueInfoProto({ ...i, name: rename(i.name ?? '') })),
    outputs: graph.outputs.map((o) => new onnx.ValueInfoProto({ ...o, name: rename(o.name ?? '') })),
  };
}
