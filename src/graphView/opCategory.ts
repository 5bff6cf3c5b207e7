// Operator categories for colouring the graph: data, not code, so adding an op is one line.
export type OpCategory = 'linear' | 'norm' | 'activation' | 'pooling' | 'shape' | 'quantization' | 'other';

const CATEGORY_OPS: Record<Exclude<OpCategory, 'other'>, string[]> = {
  linear: [
    'Conv', 'ConvTranspose', 'ConvInteger', 'QLinearConv', 'Gemm', 'MatMul', 'MatMulInteger', 'QLinearMatMul',
    'MatMulNBits', 'FusedConv', 'FusedMatMul', 'FusedGemm', 'Einsum', 'Attention', 'MultiHeadAttention', 'GroupQueryAttention',
  ],
  norm: [
    'BatchNormalization', 'LayerNormalization', 'InstanceNormalization', 'GroupNormalization', 'LpNormalization',
    'MeanVarianceNormalization', 'LRN', 'RMSNormalization', 'SimplifiedLayerNormalization', 'SkipLayerNormalization',
    'SkipSimplifiedLayerNormalization',
  ],
  activation: [
    'Relu', 'LeakyRelu', 'PRelu', 'Elu', 'Selu', 'Celu', 'Gelu', 'FastGelu', 'BiasGelu', 'QuickGelu', 'Sigmoid',
    'HardSigmoid', 'HardSwish', 'Tanh', 'Softmax', 'LogSoftmax', 'Softplus', 'Softsign', 'Mish', 'Swish', 'Clip',
    'ThresholdedRelu', 'Erf',
  ],
  pooling: [
    'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'LpPool', 'GlobalLpPool', 'MaxRoiPool', 'RoiAlign',
    'MaxUnpool', 'QLinearAveragePool', 'QLinearGlobalAveragePool',
  ],
  shape: [
    'Reshape', 'Flatten', 'Transpose', 'Squeeze', 'Unsqueeze', 'Concat', 'Split', 'Slice', 'Gather', 'GatherElements',
    'GatherND', 'Shape', 'Size', 'Expand', 'Tile', 'Pad', 'Identity', 'Cast', 'CastLike', 'Resize', 'Upsample',
    'DepthToSpace', 'SpaceToDepth', 'ConstantOfShape', 'Range', 'ScatterND', 'ScatterElements', 'Scatter', 'Trilu',
    'OneHot', 'NonZero', 'Compress',
  ],
  quantization: [
    'QuantizeLinear', 'DequantizeLinear', 'DynamicQuantizeLinear', 'QLinearAdd', 'QLinearMul', 'QLinearSigmoid',
    'QLinearLeakyRelu', 'QLinearConcat', 'QLinearSoftmax', 'GatherBlockQuantized',
  ],
};

const categoryOf = new Map<string, OpCategory>();
for (const [category, ops] of Object.entries(CATEGORY_OPS)) for (const op of ops) categoryOf.set(op, category as OpCategory);

export function opCategory(opType: string): OpCategory {
  return categoryOf.get(opType) ?? 'other';
}

export const CATEGORY_LABELS: Record<OpCategory, string> = {
  linear: 'Conv / linear',
  norm: 'Normalization',
  activation: 'Activation',
  pooling: 'Pooling',
  shape: 'Shape',
  quantization: 'Quantization',
  other: 'Other',
};
