// How images of a dataset (N, C, H, W) are fed to a model's one input, read from the input's
// declared shape. Accepted, in order:
//   (N, C, H, W)          each dimension a number equal to the data's, or symbolic ('N', 'height')
//   the same values with size-1 axes placed elsewhere: (N, H, W, 1) or (N, H, W) for one channel —
//                         the bytes are laid out identically, so nothing is transposed
//   (N, C·H·W)            a flat input (an MLP without its own Flatten), same bytes again
// Anything else is an EvaluationError that names both shapes: "model input 'input' expects
// 3×32×32 images; the dataset has 1×28×28". The batch axis may be symbolic (any batch) or a fixed
// number (then every run feeds exactly that many images).
import type { ImageShape } from './datasets/Dataset.js';
import { EvaluationError } from './EvaluationError.js';

/** A model input as ONNX Runtime describes it. */
export interface ModelInputInfo {
  name: string;
  /** ORT's element type name: 'float32', 'uint8', ... */
  type: string;
  /** Numbers for fixed dimensions; names (or '' / -1) for symbolic ones. */
  shape: ReadonlyArray<number | string>;
}

export interface ModelInputLayout {
  /** The batch the model's first axis fixes, or null when it takes any batch. */
  fixedBatch: number | null;
  /** The dims of a feed of `batch` images. */
  feedDims(batch: number): number[];
}

const isFixed = (dim: number | string): dim is number => typeof dim === 'number' && dim > 0;
const showDims = (dims: ReadonlyArray<number | string>) => dims.map((d) => (isFixed(d) ? String(d) : typeof d === 'string' && d !== '' ? d : '?')).join('×');
const withoutOnes = (dims: readonly number[]) => dims.filter((d) => d !== 1);

/** The layout images of `imageShape` take to feed `input`; throws EvaluationError when they cannot. */
export function modelInputLayout(input: ModelInputInfo, imageShape: ImageShape): ModelInputLayout {
  const [, channels, height, width] = imageShape;
  const image = [channels, height, width];
  if (input.type !== 'float32') {
    throw new EvaluationError(`model input '${input.name}' takes ${input.type} tensors; evaluation feeds float32 images (pixels in [0, 1])`);
  }
  const [batchDim, ...perImage] = input.shape;
  const expected = () => (perImage.length === 0 ? 'a scalar' : perImage.length === 1 ? `images of ${showDims(perImage)} values` : `${showDims(perImage)} images`);
  const mismatch = () =>
    new EvaluationError(
      `model input '${input.name}' expects ${expected()} (shape ${showDims(input.shape)}); the dataset has ${image.join('×')}`,
    );
  if (batchDim === undefined || perImage.length === 0) throw mismatch();
  const fixedBatch = isFixed(batchDim) ? batchDim : null;
  const layout = (dims: number[]): ModelInputLayout => ({ fixedBatch, feedDims: (batch) => [batch, ...dims] });

  if (perImage.length === 3 && perImage.every((dim, axis) => !isFixed(dim) || dim === image[axis])) return layout(image);
  if (perImage.length === 1) {
    const flat = channels * height * width;
    if (!isFixed(perImage[0]!) || perImage[0] === flat) return layout([flat]);
    throw mismatch();
  }
  if (perImage.every(isFixed)) {
    const declared = perImage as number[];
    const same = withoutOnes(declared).join('×') === withoutOnes(image).join('×');
    if (same) return layout(declared);
  }
  throw mismatch();
}
