// Width students: every prunable channel group of the teacher scaled to the width (the logits keep
// their 10 classes), the same names and I/O, an unchanged teacher at width 1, and clear errors for a
// width out of range or a model with nothing to narrow.
import { describe, expect, it } from 'vitest';
import { createPassKernels } from '../../../kernels/createPassKernels.js';
import { graphFromModel } from '../../graph/Graph.js';
import { ModelBuilder } from '../../graph/ModelBuilder.js';
import { DataType } from '../../onnx/dataType.js';
import { seededRandom } from '../../random/seededRandom.js';
import { loadBundledSample } from '../../testing/bundledSamples.js';
import { InitializedLayers } from '../../train/InitializedLayers.js';
import { widthStudent } from './widthStudent.js';

describe('widthStudent', () => {
  it('scales every channel group of fashion-cnn and fashion-mobilenet by the width; the output layer keeps its classes', async () => {
    const kernels = await createPassKernels('auto');
    const cnn = widthStudent(loadBundledSample('fashion-cnn').graph, 0.5, 'l1', kernels);
    expect(cnn.groups.map((g) => `${g.layers.join('+')} ${g.kept}/${g.channels}`)).toEqual(['conv1 8/16', 'conv2 16/32', 'fc1 64/128']);
    expect(cnn.skipped.map((s) => s.layers)).toEqual([['fc2']]);
    expect(cnn.graph.initializers.get('conv2.weight')!.dims!.map(Number)).toEqual([16, 8, 3, 3]);
    expect(cnn.graph.outputs.map((o) => o.name)).toEqual(['logits']);
    const mobile = widthStudent(loadBundledSample('fashion-mobilenet').graph, 0.25, 'bn', kernels);
    expect(mobile.groups.every((g) => g.kept === Math.max(1, g.channels - Math.round(0.75 * g.channels)))).toBe(true);
    const same = widthStudent(loadBundledSample('fashion-cnn').graph, 1, 'l1', kernels);
    expect(same.groups.every((g) => g.kept === g.channels)).toBe(true);
  });

  it('explains a width out of range and a model without channel groups to narrow', async () => {
    const kernels = await createPassKernels('auto');
    const teacher = loadBundledSample('fashion-cnn').graph;
    expect(() => widthStudent(teacher, 0, 'l1', kernels)).toThrow('distill: student.width must be from 0.01 to 1, not 0');
    // a single Gemm straight to the logits: its channels are what the model returns
    const b = new ModelBuilder({ opset: 17 });
    const layers = new InitializedLayers(b, seededRandom(1));
    const flat = b.node('Flatten', [b.input('input', DataType.FLOAT, ['N', 1, 4, 4])])[0]!;
    b.node('Identity', [layers.linear('fc', flat, 16, 3)], {}, { outputs: ['logits'] });
    b.output('logits', DataType.FLOAT, ['N', 3]);
    expect(() => widthStudent(graphFromModel(b.build()), 0.5, 'l1', kernels)).toThrow(
      "distill: a { width } student needs channel groups it can narrow, and this model has none (fc: 'logits' is a graph output: these channels are what the model returns); use a { template } student instead",
    );
  });
});
