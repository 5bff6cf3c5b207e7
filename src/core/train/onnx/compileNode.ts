// One ONNX node → one call into the op list. This table is the closed list of ops the engine trains;
// everything not here is reported by trainableFromOnnx before any work starts.
import type { GraphNode } from '../../graph/Graph.js';
import type { OpContext } from '../autograd.js';
import type { CompiledNode } from '../TrainableModel.js';
import type { Tensor } from '../Tensor.js';
import { clip, erfOp, gelu, relu, sigmoid, tanh } from '../ops/activations.js';
import { batchNorm } from '../ops/batchNorm.js';
import { binary } from '../ops/broadcast.js';
import { conv, ConvScratch } from '../ops/conv.js';
import { gemm, matMul } from '../ops/gemm.js';
import { layerNorm, softmax } from '../ops/normalization.js';
import { averagePool, globalAveragePool, maxPool } from '../ops/pool.js';
import { gather, shapeOf } from '../ops/gather.js';
import { reduceMean } from '../ops/reduce.js';
import { concat, flatten, identity, reshape, squeeze, transpose, unsqueeze } from '../ops/shape.js';
import type { AutoPad, WindowAttributes } from '../ops/windows.js';
import { NodeAttributes } from './attributes.js';

export const SUPPORTED_OPS = [
  'Gemm', 'MatMul', 'Conv', 'BatchNormalization', 'Relu', 'Clip', 'Sigmoid', 'Tanh', 'Gelu', 'Erf',
  'MaxPool', 'AveragePool', 'GlobalAveragePool', 'Add', 'Sub', 'Mul', 'Div', 'Concat', 'Flatten',
  'Reshape', 'Transpose', 'LayerNormalization', 'Softmax', 'Identity',
  // shape arithmetic as exporters write it, and reductions
  'Shape', 'Gather', 'Unsqueeze', 'Squeeze', 'ReduceMean',
] as const;

/** What compiling a node may ask of the graph around it. */
export interface CompileScope {
  /** Default-domain opset of the model (Softmax and Clip changed meaning across versions). */
  opset: number;
  /** Integer values of a constant input (Reshape's shape), or null when it is computed. */
  integerConstant(name: string): number[] | null;
  /** A float constant's values (Clip's bounds), or null when it is computed. */
  floatConstant(name: string): Float32Array | null;
}

type Run = CompiledNode['run'];

export function compileNode(node: GraphNode, scope: CompileScope): CompiledNode {
  const proto = node.proto;
  const opType = proto.opType ?? '';
  const inputs = proto.input ?? [];
  const outputs = proto.output ?? [];
  const a = new NodeAttributes(proto);
  const where = `${opType} '${node.id}'`;
  const get = (values: ReadonlyMap<string, Tensor>, index: number): Tensor => {
    const name = inputs[index];
    const t = name ? values.get(name) : undefined;
    if (!t) throw new Error(`${where}: input ${index} ('${name ?? ''}') has no value`);
    return t;
  };
  const optional = (values: ReadonlyMap<string, Tensor>, index: number): Tensor | null => (inputs[index] ? get(values, index) : null);
  const one = (f: (ctx: OpContext, values: ReadonlyMap<string, Tensor>) => Tensor | Promise<Tensor>): Run => {
    return (ctx, values) => {
      const y = f(ctx, values);
      return y instanceof Promise ? y.then((t) => [t]) : [y];
    };
  };
  const run = ((): Run => {
    switch (opType) {
      case 'Gemm': {
        const attributes = { transA: a.int('transA', 0) === 1, transB: a.int('transB', 0) === 1, alpha: a.float('alpha', 1), beta: a.float('beta', 1) };
        return one((ctx, v) => gemm(ctx, get(v, 0), get(v, 1), optional(v, 2), attributes));
      }
      case 'MatMul':
        return one((ctx, v) => matMul(ctx, get(v, 0), get(v, 1)));
      case 'Conv': {
        const attributes = { ...windowAttributes(a, where), group: a.int('group', 1) };
        const scratch = new ConvScratch();
        return one((ctx, v) => conv(ctx, get(v, 0), get(v, 1), optional(v, 2), attributes, scratch));
      }
      case 'BatchNormalization': {
        if (outputs.slice(1).some((o) => o)) throw new Error(`${where}: only the first output (Y) is supported; remove the training-mode outputs`);
        if (a.int('spatial', 1) === 0) throw new Error(`${where}: spatial=0 (per-activation statistics, opset < 9) is not supported`);
        const attributes = { epsilon: a.float('epsilon', 1e-5), momentum: a.float('momentum', 0.9) };
        return one((ctx, v) => batchNorm(ctx, get(v, 0), get(v, 1), get(v, 2), { runningMean: get(v, 3), runningVar: get(v, 4) }, attributes));
      }
      case 'Relu':
        return one((ctx, v) => relu(ctx, get(v, 0)));
      case 'Clip': {
        const bound = (index: number, attribute: string, fallback: number): number => {
          if (scope.opset < 11) return a.float(attribute, fallback);
          const name = inputs[index];
          if (!name) return fallback;
          const value = scope.floatConstant(name);
          if (!value || value.length !== 1) throw new Error(`${where}: the ${attribute} bound must be a constant scalar`);
          return value[0]!;
        };
        const min = bound(1, 'min', -Infinity);
        const max = bound(2, 'max', Infinity);
        return one((ctx, v) => clip(ctx, get(v, 0), min, max));
      }
      case 'Sigmoid':
        return one((ctx, v) => sigmoid(ctx, get(v, 0)));
      case 'Tanh':
        return one((ctx, v) => tanh(ctx, get(v, 0)));
      case 'Erf':
        return one((ctx, v) => erfOp(ctx, get(v, 0)));
      case 'Gelu': {
        const approximate = a.string('approximate', 'none');
        if (approximate !== 'none' && approximate !== 'tanh') throw new Error(`${where}: unknown approximate='${approximate}'`);
        return one((ctx, v) => gelu(ctx, get(v, 0), approximate));
      }
      case 'MaxPool': {
        if (!a.ints('kernel_shape')) throw new Error(`${where}: kernel_shape is required`);
        if (outputs[1]) throw new Error(`${where}: the Indices output is not supported`);
        if (a.int('storage_order', 0) !== 0) throw new Error(`${where}: storage_order=1 is not supported`);
        const attributes = windowAttributes(a, where);
        return one((ctx, v) => maxPool(ctx, get(v, 0), attributes));
      }
      case 'AveragePool': {
        if (!a.ints('kernel_shape')) throw new Error(`${where}: kernel_shape is required`);
        const attributes = { ...windowAttributes(a, where), countIncludePad: a.int('count_include_pad', 0) === 1 };
        return one((ctx, v) => averagePool(ctx, get(v, 0), attributes));
      }
      case 'GlobalAveragePool':
        return one((ctx, v) => globalAveragePool(ctx, get(v, 0)));
      case 'Add':
      case 'Sub':
      case 'Mul':
      case 'Div':
        return one((ctx, v) => binary(ctx, opType, get(v, 0), get(v, 1)));
      case 'Concat': {
        const axis = a.int('axis', 0);
        return one((ctx, v) => concat(ctx, inputs.map((_, i) => get(v, i)), axis));
      }
      case 'Flatten': {
        const axis = a.int('axis', 1);
        return one((ctx, v) => flatten(ctx, get(v, 0), axis));
      }
      case 'Reshape': {
        const shape = scope.integerConstant(inputs[1] ?? '');
        const allowZero = a.int('allowzero', 0) === 1;
        // A computed shape (Shape → … → Concat) arrives as a float tensor of whole numbers.
        return one((ctx, v) => reshape(ctx, get(v, 0), shape ?? Array.from(get(v, 1).data), allowZero));
      }
      case 'Shape': {
        const start = a.int('start', 0);
        const end = a.has('end') ? a.int('end', 0) : undefined;
        return one((_, v) => shapeOf(get(v, 0), start, end));
      }
      case 'Gather': {
        const axis = a.int('axis', 0);
        return one((ctx, v) => gather(ctx, get(v, 0), get(v, 1), axis));
      }
      case 'Unsqueeze':
      case 'Squeeze': {
        const axes = scope.opset < 13 ? a.ints('axes') ?? null : inputs[1] ? scope.integerConstant(inputs[1]) : null;
        if (scope.opset >= 13 && inputs[1] && !axes) throw new Error(`${where}: axes ('${inputs[1]}') must be a constant`);
        if (opType === 'Unsqueeze') {
          if (!axes) throw new Error(`${where}: axes are required`);
          return one((ctx, v) => unsqueeze(ctx, get(v, 0), axes));
        }
        return one((ctx, v) => squeeze(ctx, get(v, 0), axes));
      }
      case 'ReduceMean': {
        const fromInput = scope.opset >= 18;
        const axes = fromInput ? (inputs[1] ? scope.integerConstant(inputs[1]) : null) : a.ints('axes') ?? null;
        if (fromInput && inputs[1] && !axes) throw new Error(`${where}: axes ('${inputs[1]}') must be a constant`);
        if (fromInput && !axes && a.int('noop_with_empty_axes', 0) === 1) return one((ctx, v) => identity(ctx, get(v, 0)));
        const keepDims = a.int('keepdims', 1) === 1;
        return one((ctx, v) => reduceMean(ctx, get(v, 0), axes, keepDims));
      }
      case 'Transpose': {
        const perm = a.ints('perm');
        return one((ctx, v) => transpose(ctx, get(v, 0), perm));
      }
      case 'LayerNormalization': {
        if (outputs.slice(1).some((o) => o)) throw new Error(`${where}: only the first output (Y) is supported`);
        const axis = a.int('axis', -1);
        const epsilon = a.float('epsilon', 1e-5);
        return one((ctx, v) => layerNorm(ctx, get(v, 0), get(v, 1), optional(v, 2), axis, epsilon));
      }
      case 'Softmax': {
        const legacy = scope.opset < 13;
        const axis = a.int('axis', legacy ? 1 : -1);
        return one((ctx, v) => softmax(ctx, get(v, 0), axis, legacy));
      }
      case 'Identity':
        return one((ctx, v) => identity(ctx, get(v, 0)));
      default:
        throw new Error(`${where}: the training engine does not support ${opType}`);
    }
  })();
  return { id: node.id, opType, inputs, outputs, run };
}

function windowAttributes(a: NodeAttributes, where: string): Omit<WindowAttributes, 'kernelShape'> & { kernelShape: [number, number] } {
  const pair = (name: string, fallback: [number, number]): [number, number] => {
    const v = a.ints(name);
    if (!v) return fallback;
    if (v.length !== 2) throw new Error(`${where}: ${name} has ${v.length} values; only 2-D windows are supported`);
    return [v[0]!, v[1]!];
  };
  const kernel = a.ints('kernel_shape');
  if (kernel && kernel.length !== 2) throw new Error(`${where}: only 2-D windows are supported (kernel_shape has ${kernel.length} dims)`);
  const pads = a.ints('pads');
  if (pads && pads.length !== 4) throw new Error(`${where}: pads has ${pads.length} values; 2-D windows need 4`);
  const autoPad = a.string('auto_pad', 'NOTSET') as AutoPad;
  if (!['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'].includes(autoPad)) throw new Error(`${where}: unknown auto_pad '${autoPad}'`);
  return {
    // Conv may omit kernel_shape (it is W's spatial shape); the conv op reads it from W.
    kernelShape: kernel ? [kernel[0]!, kernel[1]!] : [0, 0],
    strides: pair('strides', [1, 1]),
    dilations: pair('dilations', [1, 1]),
    pads: pads ? [pads[0]!, pads[1]!, pads[2]!, pads[3]!] : [0, 0, 0, 0],
    autoPad,
    ceilMode: a.int('ceil_mode', 0) === 1,
  };
}
