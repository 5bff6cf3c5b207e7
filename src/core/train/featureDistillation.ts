// Feature distillation: besides the logits, the student's intermediate outputs learn to match the
// teacher's — mean squared error per chosen pair, through a learned 1×1 convolution (a projection
// from the student's channels to the teacher's) when their channel counts differ, averaged over the
// pairs. The teacher runs in inference mode on every batch; its feature maps are too large to compute
// once and keep. Both models must expose the chosen values as graph outputs (after their logits).
//
//   student feature (N, Cs, H, W) → [1×1 conv, weight (Ct, Cs, 1, 1)] → (N, Ct, H, W) ~ teacher (N, Ct, H, W)
import type { Random } from '../random/seededRandom.js';
import type { OpContext } from './autograd.js';
import type { AuxiliaryLoss } from './fit.js';
import { torchDefault } from './init.js';
import { meanSquaredError } from './losses/mse.js';
import { weightedSum } from './losses/weightedSum.js';
import { conv } from './ops/conv.js';
import { formatShape, Tensor } from './Tensor.js';
import type { TrainableModel } from './TrainableModel.js';

export interface FeaturePair {
  /** Output value names in the student's and the teacher's graphs. */
  student: string;
  teacher: string;
}

/**
 * The AuxiliaryLoss for `fit`: Σ over pairs of MSE(project(student), teacher) / pairs. Projections are
 * created at the first batch, when the channel counts are known, from `random` (seeded: reproducible).
 */
export function featureDistillation(teacher: TrainableModel, pairs: readonly FeaturePair[], weight: number, random: Random): AuxiliaryLoss {
  if (pairs.length === 0) throw new RangeError('feature distillation needs at least one pair of features');
  const projections = new Map<number, Tensor | null>();
  const parameters: Tensor[] = [];
  const teacherCtx = (ctx: OpContext): OpContext => ({ kernels: ctx.kernels, tape: null, training: false });
  return {
    parameters,
    weight,
    async loss(ctx, outputs, x) {
      const teacherOutputs = await teacher.forward(teacherCtx(ctx), { [teacher.inputs[0]!.name]: x });
      const terms: [Tensor, number][] = [];
      for (const [index, pair] of pairs.entries()) {
        let student = outputs.get(pair.student);
        const target = teacherOutputs.get(pair.teacher);
        if (!student || !target) throw new RangeError(`feature '${!student ? pair.student : pair.teacher}' is not an output of the ${!student ? 'student' : 'teacher'}`);
        if (student.rank !== target.rank || student.shape[0] !== target.shape[0] || student.shape.slice(2).some((d, i) => d !== target.shape[i + 2])) {
          throw new RangeError(`features '${pair.student}' ${formatShape(student.shape)} and '${pair.teacher}' ${formatShape(target.shape)} differ in more than their channels`);
        }
        const [studentChannels, teacherChannels] = [student.shape[1]!, target.shape[1]!];
        if (studentChannels !== teacherChannels) {
          if (student.rank !== 4) throw new RangeError(`features '${pair.student}' and '${pair.teacher}' differ in width (${studentChannels} vs ${teacherChannels}) and are not (N, C, H, W) maps a 1×1 projection can join`);
          let projection = projections.get(index);
          if (!projection) {
            const shape = [teacherChannels, studentChannels, 1, 1];
            projection = new Tensor(shape, torchDefault(random, shape, studentChannels), true);
            projections.set(index, projection);
            parameters.push(projection);
          }
          student = await conv(ctx, student, projection, null, { kernelShape: [1, 1] });
        }
        terms.push([meanSquaredError(ctx, student, target), 1 / pairs.length]);
      }
      return terms.length === 1 && terms[0]![1] === 1 ? terms[0]![0] : weightedSum(ctx, terms);
    },
  };
}
