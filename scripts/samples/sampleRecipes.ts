// How each bundled sample is trained, and the test accuracy it must reach (issue #3). Kept apart from
// the architectures so a recipe change is visible in review as what it is.

export interface TrainingRecipe {
  epochs: number;
  batchSize: number;
  /** Peak learning rate of the cosine schedule. */
  learningRate: number;
  warmupSteps: number;
  /** Decoupled (AdamW) weight decay; 0 for plain Adam. */
  weightDecay: number;
  /** Seeds the initial weights and the shuffling. */
  seed: number;
  /** Test accuracy, in percent, the sample must reach; training exits non-zero below it. */
  goalPercent: number;
}

export const SAMPLE_RECIPES: Record<string, TrainingRecipe> = {
  'fashion-mlp': { epochs: 10, batchSize: 64, learningRate: 1e-3, warmupSteps: 100, weightDecay: 0, seed: 1, goalPercent: 88 },
  'fashion-cnn': { epochs: 8, batchSize: 64, learningRate: 2e-3, warmupSteps: 100, weightDecay: 0, seed: 1, goalPercent: 91 },
  'fashion-mobilenet': { epochs: 8, batchSize: 64, learningRate: 3e-3, warmupSteps: 100, weightDecay: 0, seed: 1, goalPercent: 89 },
  'mnist-cnn': { epochs: 15, batchSize: 64, learningRate: 2e-3, warmupSteps: 50, weightDecay: 0, seed: 1, goalPercent: 97.5 },
};
