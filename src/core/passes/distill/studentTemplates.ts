// The small architectures a `{ template: ID }` student can be: two MLPs, a small CNN and a
// MobileNet-style depthwise-separable net, each sized for the teacher's input (C, H, W) and its number
// of classes, built as an ordinary ONNX graph with seeded PyTorch-default initialisation
// (InitializedLayers), so the same seed gives the same student bit for bit. The list is what the
// inspector offers; ids are part of saved pipelines — add templates, never rename one.
import { graphFromModel, type Graph } from '../../graph/Graph.js';
import { ModelBuilder } from '../../graph/ModelBuilder.js';
import { DataType } from '../../onnx/dataType.js';
import { seededRandom } from '../../random/seededRandom.js';
import { InitializedLayers } from '../../train/InitializedLayers.js';
import { PassError } from '../Pass.js';

export interface StudentTemplate {
  id: string;
  label: string;
  description: string;
}

/** What a student must fit: the teacher's input and output names, one input's (C, H, W), the classes. */
export interface StudentShape {
  inputName: string;
  outputName: string;
  channels: number;
  height: number;
  width: number;
  classes: number;
}

interface TemplateDefinition extends StudentTemplate {
  /** Builds the layers from the input value to the logits value. */
  build(layers: InitializedLayers, input: string, shape: StudentShape): string;
}

function mlp(hidden: number): TemplateDefinition['build'] {
  return (layers, input, s) => {
    const flat = layers.builder.node('Flatten', [input])[0]!;
    return layers.linear('fc2', layers.relu(layers.linear('fc1', flat, s.channels * s.height * s.width, hidden)), hidden, s.classes);
  };
}

/** Conv → BatchNorm → Relu, the unit every convolutional template is made of. */
function convUnit(layers: InitializedLayers, name: string, x: string, inChannels: number, outChannels: number, kernel: number, options: { stride?: number; group?: number } = {}): string {
  const conv = layers.conv(`${name}.conv`, x, inChannels, outChannels, kernel, { pad: (kernel - 1) / 2, stride: options.stride ?? 1, group: options.group ?? 1, bias: false });
  return layers.relu(layers.batchNorm(`${name}.bn`, conv, outChannels));
}

const maxPool = (layers: InitializedLayers, x: string) => layers.builder.node('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] })[0]!;

const TEMPLATES: readonly TemplateDefinition[] = [
  {
    id: 'mlp-small',
    label: 'MLP, 128 hidden',
    description: 'Flatten → Gemm 128 → Relu → Gemm (classes): 784-128-10 for 28×28 images.',
    build: mlp(128),
  },
  {
    id: 'mlp-tiny',
    label: 'MLP, 32 hidden',
    description: 'Flatten → Gemm 32 → Relu → Gemm (classes): 784-32-10 for 28×28 images, about 25 k parameters.',
    build: mlp(32),
  },
  {
    id: 'cnn-small',
    label: 'Small CNN',
    description: 'Two Conv 3×3 + BatchNorm + Relu + MaxPool 2×2 blocks (8, 16 channels), then Gemm (classes).',
    build: (layers, input, s) => {
      let h = maxPool(layers, convUnit(layers, 'block1', input, s.channels, 8, 3));
      h = maxPool(layers, convUnit(layers, 'block2', h, 8, 16, 3));
      const flat = layers.builder.node('Flatten', [h])[0]!;
      return layers.linear('classifier', flat, 16 * Math.floor(s.height / 4) * Math.floor(s.width / 4), s.classes);
    },
  },
  {
    id: 'mobilenet-tiny',
    label: 'Tiny MobileNet',
    description: 'Conv 3×3 stride 2 (16), two depthwise-separable blocks (depthwise 3×3 + pointwise 1×1: 32, then stride 2 to 64), global average pool, Gemm (classes).',
    build: (layers, input, s) => {
      let h = convUnit(layers, 'stem', input, s.channels, 16, 3, { stride: 2 });
      h = convUnit(layers, 'block1.depthwise', h, 16, 16, 3, { group: 16 });
      h = convUnit(layers, 'block1.pointwise', h, 16, 32, 1);
      h = convUnit(layers, 'block2.depthwise', h, 32, 32, 3, { stride: 2, group: 32 });
      h = convUnit(layers, 'block2.pointwise', h, 32, 64, 1);
      const pooled = layers.builder.node('GlobalAveragePool', [h])[0]!;
      return layers.linear('classifier', layers.builder.node('Flatten', [pooled])[0]!, 64, s.classes);
    },
  },
];

/** The templates the inspector offers, in menu order. */
export const STUDENT_TEMPLATES: readonly StudentTemplate[] = TEMPLATES.map(({ id, label, description }) => ({ id, label, description }));

export function isStudentTemplateId(id: string): boolean {
  return TEMPLATES.some((t) => t.id === id);
}

/** The template's graph for this input and output, initialised from `seed`. */
export function templateStudent(id: string, shape: StudentShape, seed: number): Graph {
  const template = TEMPLATES.find((t) => t.id === id);
  if (!template) throw new PassError('distill', `student template '${id}' is not one Whittle has (templates: ${TEMPLATES.map((t) => t.id).join(', ')})`);
  if ((id === 'cnn-small' || id === 'mobilenet-tiny') && (shape.height < 4 || shape.width < 4)) {
    throw new PassError('distill', `student template '${id}' needs images of at least 4×4 pixels; the teacher takes ${shape.height}×${shape.width}`);
  }
  const builder = new ModelBuilder({ opset: 17, graphName: `student-${id}` });
  const layers = new InitializedLayers(builder, seededRandom(seed));
  const input = builder.input(shape.inputName, DataType.FLOAT, ['N', shape.channels, shape.height, shape.width]);
  const logits = template.build(layers, input, shape);
  builder.node('Identity', [logits], {}, { outputs: [shape.outputName] });
  builder.output(shape.outputName, DataType.FLOAT, ['N', shape.classes]);
  return graphFromModel(builder.build());
}
