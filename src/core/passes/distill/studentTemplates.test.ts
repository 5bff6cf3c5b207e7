// Student templates: each builds for the teacher's input (any C, H, W) and number of classes, under
// the teacher's input and output names, runs in ONNX Runtime with the right output shape, trains in
// the engine, is the same for the same seed, and says what it needs when it cannot fit.
import { describe, expect, it } from 'vitest';
import { modelFromGraph, type Graph } from '../../graph/Graph.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { runWithOrtWeb } from '../../testing/onnxRuntimeReference.js';
import { trainableFromOnnx } from '../../train/onnx/trainableFromOnnx.js';
import { isStudentTemplateId, STUDENT_TEMPLATES, templateStudent, type StudentShape } from './studentTemplates.js';

const fashion: StudentShape = { inputName: 'input', outputName: 'logits', channels: 1, height: 28, width: 28, classes: 10 };
const colour: StudentShape = { inputName: 'pixels', outputName: 'scores', channels: 3, height: 32, width: 30, classes: 5 };
/** Byte equality without a deep-equality walk over a megabyte. */
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
const parameters = (graph: Graph) => [...graph.initializers.values()].reduce((n, t) => n + (t.dims ?? []).reduce<number>((p, d) => p * Number(d), 1), 0);

describe('student templates', () => {
  it('lists ids, labels and descriptions for the inspector', () => {
    expect(STUDENT_TEMPLATES.map((t) => t.id)).toEqual(['mlp-small', 'mlp-tiny', 'cnn-small', 'mobilenet-tiny']);
    for (const t of STUDENT_TEMPLATES) {
      expect(t.label.length).toBeGreaterThan(3);
      expect(t.description.length).toBeGreaterThan(20);
      expect(isStudentTemplateId(t.id)).toBe(true);
    }
    expect(isStudentTemplateId('mlp-huge')).toBe(false);
  });

  it.each(STUDENT_TEMPLATES.map((t) => t.id))('%s fits 1×28×28 → 10 and 3×32×30 → 5, runs in ORT, is trainable and seeded', async (id) => {
    for (const shape of [fashion, colour]) {
      const graph = templateStudent(id, shape, 1);
      const bytes = encodeModel(modelFromGraph(graph));
      const n = 3;
      const x = Float32Array.from({ length: n * shape.channels * shape.height * shape.width }, (_, i) => (i % 17) / 17);
      const out = await runWithOrtWeb(bytes, { [shape.inputName]: { type: 'float32', data: x, dims: [n, shape.channels, shape.height, shape.width] } });
      expect(Object.keys(out)).toEqual([shape.outputName]);
      expect(out[shape.outputName]!.dims).toEqual([n, shape.classes]);
      expect(trainableFromOnnx(graph).parameters.size).toBeGreaterThan(0);
      expect(sameBytes(encodeModel(modelFromGraph(templateStudent(id, shape, 1))), bytes)).toBe(true);
      expect(sameBytes(encodeModel(modelFromGraph(templateStudent(id, shape, 2))), bytes)).toBe(false);
    }
  });

  it('mlp-small is 784-128-10 for Fashion-MNIST (101,770 parameters); mlp-tiny 784-32-10', () => {
    expect(parameters(templateStudent('mlp-small', fashion, 1))).toBe(784 * 128 + 128 + 128 * 10 + 10);
    expect(parameters(templateStudent('mlp-tiny', fashion, 1))).toBe(784 * 32 + 32 + 32 * 10 + 10);
  });

  it('explains an unknown id and an input too small for the convolutional templates', () => {
    expect(() => templateStudent('resnet-50', fashion, 1)).toThrow("distill: student template 'resnet-50' is not one Whittle has (templates: mlp-small, mlp-tiny, cnn-small, mobilenet-tiny)");
    expect(() => templateStudent('cnn-small', { ...fashion, height: 3, width: 3 }, 1)).toThrow("distill: student template 'cnn-small' needs images of at least 4×4 pixels; the teacher takes 3×3");
    expect(parameters(templateStudent('mlp-tiny', { ...fashion, height: 3, width: 3 }, 1))).toBe(9 * 32 + 32 + 32 * 10 + 10);
  });
});
