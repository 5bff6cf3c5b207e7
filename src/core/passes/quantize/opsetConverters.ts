// Rewrites of single default-domain nodes whose meaning changed between two opsets, so that the node
// means the same thing after the model's opset import is raised. Each converter takes the node as
// the older opset defines it and returns it as the newer one does, adding constants (an attribute
// that became an input) or nodes around it (Softmax's 2-D coercion) through the editor. It returns
// a string when it cannot keep the meaning, and the upgrade refuses with that reason.
//
// The list of changes follows ONNX's Changelog and its version converter (onnx/version_converter):
// attributes turned inputs (Slice, TopK 10; Clip, Pad 11; Dropout 12; ReduceSum, Squeeze,
// Unsqueeze, Split 13; the other Reduce* 18), changed defaults (RoiAlign 16), renamed values
// (GridSample 20), coercion rules (Softmax, LogSoftmax, Hardmax 13), ops replaced (Upsample → Resize
// 10, Scatter → ScatterElements 11). Each converter is checked in ONNX Runtime: the model before and
// after gives the same outputs (opsetUpgrade.test.ts).
import { onnx } from '../../onnx/generated/onnx.js';
import { DataType } from '../../onnx/dataType.js';
import { int64ToNumber, type Int64Like } from '../../onnx/int64.js';
import { makeTensorProto } from '../../onnx/tensorData.js';
import type { GraphEditor } from '../../graph/GraphEditor.js';
import { makeAttribute } from '../../graph/ModelBuilder.js';

export interface ConversionContext {
  edit: GraphEditor;
  /** Id of the node being converted (new nodes go before or after it). */
  nodeId: string;
  targetOpset: number;
}

/** Returns the node as the newer opset writes it, or the reason it cannot be converted. */
export type Converter = (node: onnx.INodeProto, context: ConversionContext) => onnx.INodeProto | string;

function attribute(node: onnx.INodeProto, name: string): onnx.IAttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

function ints(a: onnx.IAttributeProto | undefined): number[] | undefined {
  return a?.ints ? a.ints.map((v) => int64ToNumber(v as Int64Like)) : undefined;
}

function intValue(a: onnx.IAttributeProto | undefined, fallback: number): number {
  return a?.i !== undefined && a.i !== null ? int64ToNumber(a.i as Int64Like) : fallback;
}

function withoutAttributes(node: onnx.INodeProto, names: string[], extra: onnx.IAttributeProto[] = []): onnx.AttributeProto[] {
  return [...(node.attribute ?? []).filter((a) => !names.includes(a.name ?? '')), ...extra] as onnx.AttributeProto[];
}

function rebuilt(node: onnx.INodeProto, fields: Partial<onnx.INodeProto>): onnx.NodeProto {
  return new onnx.NodeProto({ ...node, ...fields });
}

/** Inputs padded with '' up to `length` so an optional input can be set by position. */
function inputsUpTo(node: onnx.INodeProto, length: number): string[] {
  const input = [...(node.input ?? [])];
  while (input.length < length) input.push('');
  return input;
}

function int64Constant(context: ConversionContext, base: string, values: number[]): string {
  const name = context.edit.freshName(base);
  context.edit.setInitializer(makeTensorProto({ name, dataType: DataType.INT64, dims: [values.length], values: BigInt64Array.from(values, (v) => BigInt(v)) }));
  return name;
}

/**
 * A float scalar of the same element type as `like`: old attributes were floats whatever the data
 * type, new inputs must match it. CastLike (opset 15) does that; below 15 the data is assumed float32.
 */
function floatScalarLike(context: ConversionContext, base: string, value: number, like: string): string {
  const name = context.edit.freshName(base);
  context.edit.setInitializer(makeTensorProto({ name, dataType: DataType.FLOAT, dims: [], values: Float32Array.of(value) }));
  if (context.targetOpset < 15) return name;
  const cast = context.edit.freshName(`${base}_like_input`);
  context.edit.insertBefore(context.nodeId, [new onnx.NodeProto({ name: context.edit.freshName(`${base}_CastLike`), opType: 'CastLike', input: [name, like], output: [cast] })]);
  return cast;
}

/** An attribute that became input `index` (int64 values); absent attributes leave the input empty. */
function intsAttributeToInput(attributeName: string, index: number): Converter {
  return (node, context) => {
    const values = ints(attribute(node, attributeName));
    if (values === undefined) return rebuilt(node, { attribute: withoutAttributes(node, [attributeName]) });
    const input = inputsUpTo(node, index + 1);
    input[index] = int64Constant(context, `${node.name || node.opType}_${attributeName}`, values);
    return rebuilt(node, { input, attribute: withoutAttributes(node, [attributeName]) });
  };
}

const sliceAttributesToInputs: Converter = (node, context) => {
  const starts = ints(attribute(node, 'starts'));
  const ends = ints(attribute(node, 'ends'));
  if (!starts || !ends) return 'Slice-1 without starts/ends';
  const axes = ints(attribute(node, 'axes'));
  const base = node.name || 'Slice';
  const input = [node.input![0]!, int64Constant(context, `${base}_starts`, starts), int64Constant(context, `${base}_ends`, ends)];
  if (axes) input.push(int64Constant(context, `${base}_axes`, axes));
  return rebuilt(node, { input, attribute: withoutAttributes(node, ['starts', 'ends', 'axes']) });
};

const topKAttributeToInput: Converter = (node, context) => {
  const k = attribute(node, 'k');
  if (!k) return 'TopK-1 without k';
  const input = [node.input![0]!, int64Constant(context, `${node.name || 'TopK'}_k`, [intValue(k, 0)])];
  return rebuilt(node, { input, attribute: withoutAttributes(node, ['k']) });
};

const clipAttributesToInputs: Converter = (node, context) => {
  const data = node.input![0]!;
  const input = [data, '', ''];
  const base = node.name || 'Clip';
  const min = attribute(node, 'min');
  const max = attribute(node, 'max');
  if (min) input[1] = floatScalarLike(context, `${base}_min`, min.f ?? 0, data);
  if (max) input[2] = floatScalarLike(context, `${base}_max`, max.f ?? 0, data);
  while (input.length > 1 && input[input.length - 1] === '') input.pop();
  return rebuilt(node, { input, attribute: withoutAttributes(node, ['min', 'max']) });
};

const padAttributesToInputs: Converter = (node, context) => {
  const pads = ints(attribute(node, 'pads') ?? attribute(node, 'paddings'));
  if (!pads) return 'Pad without pads';
  const data = node.input![0]!;
  const base = node.name || 'Pad';
  const input = [data, int64Constant(context, `${base}_pads`, pads)];
  const value = attribute(node, 'value');
  if (value && (value.f ?? 0) !== 0) input.push(floatScalarLike(context, `${base}_value`, value.f ?? 0, data));
  return rebuilt(node, { input, attribute: withoutAttributes(node, ['pads', 'paddings', 'value']) });
};

const dropoutRatioToInput: Converter = (node, context) => {
  const ratio = attribute(node, 'ratio');
  if (!ratio) return rebuilt(node, {});
  // Dropout-12's ratio has its own type (T1), float32 works whatever the data type.
  const name = context.edit.freshName(`${node.name || 'Dropout'}_ratio`);
  context.edit.setInitializer(makeTensorProto({ name, dataType: DataType.FLOAT, dims: [], values: Float32Array.of(ratio.f ?? 0.5) }));
  const input = inputsUpTo(node, 2);
  input[1] = name;
  return rebuilt(node, { input, attribute: withoutAttributes(node, ['ratio']) });
};

const splitNumOutputs: Converter = (node) => {
  const hasSplit = (node.input?.[1] ?? '') !== '';
  if (hasSplit || attribute(node, 'num_outputs')) return rebuilt(node, {});
  return rebuilt(node, { attribute: withoutAttributes(node, [], [makeAttribute('num_outputs', node.output?.length ?? 1)]) });
};

/**
 * Before opset 13, Softmax/LogSoftmax/Hardmax coerced the input to 2-D at `axis` (default 1) and
 * normalized over the second dimension; from 13 they normalize over one axis. Flatten at the old
 * axis, normalize the last axis, and Reshape back to the input's shape reproduces the old meaning.
 */
const coercedSoftmax: Converter = (node, context) => {
  const { edit } = context;
  const axis = intValue(attribute(node, 'axis'), 1);
  const data = node.input![0]!;
  const output = node.output![0]!;
  const base = node.name || node.opType || 'Softmax';
  const shape = edit.freshName(`${base}_input_shape`);
  const flat = edit.freshName(`${base}_input_2d`);
  const normalized = edit.freshName(`${base}_output_2d`);
  edit.insertBefore(context.nodeId, [
    new onnx.NodeProto({ name: edit.freshName(`${base}_Shape`), opType: 'Shape', input: [data], output: [shape] }),
    new onnx.NodeProto({ name: edit.freshName(`${base}_Flatten`), opType: 'Flatten', input: [data], output: [flat], attribute: [makeAttribute('axis', axis)] }),
  ]);
  edit.insertAfter(context.nodeId, [new onnx.NodeProto({ name: edit.freshName(`${base}_Reshape`), opType: 'Reshape', input: [normalized, shape], output: [output] })]);
  return rebuilt(node, { input: [flat], output: [normalized], attribute: withoutAttributes(node, ['axis'], [makeAttribute('axis', -1)]) });
};

/** Upsample (7: scales attribute; 9: scales input) and Resize-10 as Resize with their old sampling. */
const upsampleToResize: Converter = (node, context) => {
  const mode = attribute(node, 'mode')?.s ? new TextDecoder().decode(attribute(node, 'mode')!.s!) : 'nearest';
  if (mode !== 'nearest' && mode !== 'linear') return `${node.opType} with mode '${mode}'`;
  let scales = node.input?.[1] ?? '';
  const scalesAttribute = attribute(node, 'scales');
  if (scales === '' && scalesAttribute?.floats) {
    scales = context.edit.freshName(`${node.name || node.opType}_scales`);
    context.edit.setInitializer(makeTensorProto({ name: scales, dataType: DataType.FLOAT, dims: [scalesAttribute.floats.length], values: Float32Array.from(scalesAttribute.floats) }));
  }
  if (scales === '') return `${node.opType} without scales`;
  // Resize before 11 and Upsample map output x to input x / scale and take the floor for nearest.
  const attributes = [makeAttribute('mode', mode), makeAttribute('coordinate_transformation_mode', 'asymmetric')];
  if (mode === 'nearest') attributes.push(makeAttribute('nearest_mode', 'floor'));
  return rebuilt(node, { opType: 'Resize', input: [node.input![0]!, '', scales], attribute: attributes });
};

const batchNormalizationSpatial: Converter = (node) => {
  const spatial = attribute(node, 'spatial');
  if (spatial && intValue(spatial, 1) !== 1) return 'BatchNormalization with spatial = 0';
  return rebuilt(node, { attribute: withoutAttributes(node, ['spatial']) });
};

const batchNormalizationInference: Converter = (node) => {
  if ((node.output ?? []).slice(1).some((o) => o !== '')) return 'BatchNormalization with training outputs';
  return rebuilt(node, {});
};

const roiAlignHalfPixel: Converter = (node) =>
  attribute(node, 'coordinate_transformation_mode') ? rebuilt(node, {}) : rebuilt(node, { attribute: withoutAttributes(node, [], [makeAttribute('coordinate_transformation_mode', 'output_half_pixel')]) });

const gridSampleModeNames: Converter = (node) => {
  const mode = attribute(node, 'mode')?.s ? new TextDecoder().decode(attribute(node, 'mode')!.s!) : 'bilinear';
  const renamed = ({ bilinear: 'linear', bicubic: 'cubic' } as Record<string, string>)[mode] ?? mode;
  return rebuilt(node, { attribute: withoutAttributes(node, ['mode'], [makeAttribute('mode', renamed)]) });
};

const renameTo = (opType: string): Converter => (node) => rebuilt(node, { opType });

const cannot = (reason: string): Converter => () => reason;

export interface OpsetChange {
  /** The opset from which the new meaning holds. */
  since: number;
  convert: Converter;
}

const REDUCE_OPS_WITH_AXES_INPUT_IN_18 = ['ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceMax', 'ReduceMean', 'ReduceMin', 'ReduceProd', 'ReduceSumSquare'];

/** Default-domain changes that need a rewrite, by op type, in opset order. */
export const OPSET_CHANGES: ReadonlyMap<string, readonly OpsetChange[]> = new Map<string, OpsetChange[]>([
  ['BatchNormalization', [{ since: 9, convert: batchNormalizationSpatial }, { since: 14, convert: batchNormalizationInference }]],
  ['Scan', [{ since: 9, convert: cannot('Scan-8 (batch axis semantics changed in opset 9)') }]],
  ['Slice', [{ since: 10, convert: sliceAttributesToInputs }]],
  ['TopK', [{ since: 10, convert: topKAttributeToInput }]],
  ['Upsample', [{ since: 10, convert: upsampleToResize }]],
  ['Resize', [{ since: 11, convert: upsampleToResize }]],
  ['Clip', [{ since: 11, convert: clipAttributesToInputs }]],
  ['Pad', [{ since: 11, convert: padAttributesToInputs }]],
  ['Scatter', [{ since: 11, convert: renameTo('ScatterElements') }]],
  ['Dropout', [{ since: 12, convert: dropoutRatioToInput }]],
  ['ReduceSum', [{ since: 13, convert: intsAttributeToInput('axes', 1) }]],
  ['Squeeze', [{ since: 13, convert: intsAttributeToInput('axes', 1) }]],
  ['Unsqueeze', [{ since: 13, convert: intsAttributeToInput('axes', 1) }]],
  ['Split', [{ since: 13, convert: intsAttributeToInput('split', 1) }, { since: 18, convert: splitNumOutputs }]],
  ['Softmax', [{ since: 13, convert: coercedSoftmax }]],
  ['LogSoftmax', [{ since: 13, convert: coercedSoftmax }]],
  ['Hardmax', [{ since: 13, convert: coercedSoftmax }]],
  ['RoiAlign', [{ since: 16, convert: roiAlignHalfPixel }]],
  ...REDUCE_OPS_WITH_AXES_INPUT_IN_18.map((op): [string, OpsetChange[]] => [op, [{ since: 18, convert: intsAttributeToInput('axes', 1) }]]),
  ['GridSample', [{ since: 20, convert: gridSampleModeNames }]],
  ['DFT', [{ since: 20, convert: cannot('DFT (axis became an input in opset 20)') }]],
  ['GroupNormalization', [{ since: 21, convert: cannot('GroupNormalization (scale and bias became per channel in opset 21)') }]],
]);

/** Experimental ops of early ONNX that no later opset has. */
export const REMOVED_OPS: ReadonlySet<string> = new Set(['ATen', 'Affine', 'ConstantFill', 'Crop', 'DynamicSlice', 'GRUUnit', 'GivenTensorFill', 'ImageScaler', 'ParametricSoftplus', 'Scale', 'ScaledTanh']);
