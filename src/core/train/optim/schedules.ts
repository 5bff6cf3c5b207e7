// Learning-rate schedules as pure functions of the step (0-based, counted in batches).
//
//   constant: lr
//   cosine:   linear warmup from ~0 to lr over `warmupSteps`, then lr_min + (lr − lr_min)·(1 + cos(π·t))/2
//   step:     lr · gamma^⌊step / stepSize⌋

export type Schedule =
  | { type: 'constant'; learningRate: number }
  /** totalSteps may be left out when `fit` runs the schedule: it fills in epochs · batches per epoch. */
  | { type: 'cosine'; learningRate: number; totalSteps?: number; warmupSteps?: number; minLearningRate?: number }
  | { type: 'step'; learningRate: number; stepSize: number; gamma?: number };

export function learningRateAt(schedule: Schedule, step: number): number {
  switch (schedule.type) {
    case 'constant':
      return schedule.learningRate;
    case 'cosine': {
      const { learningRate, totalSteps, warmupSteps = 0, minLearningRate = 0 } = schedule;
      if (totalSteps === undefined) throw new RangeError('a cosine schedule needs totalSteps (fit fills it in from epochs and batch size)');
      if (step < warmupSteps) return (learningRate * (step + 1)) / warmupSteps;
      const span = Math.max(1, totalSteps - warmupSteps);
      const t = Math.min(1, (step - warmupSteps) / span);
      return minLearningRate + ((learningRate - minLearningRate) * (1 + Math.cos(Math.PI * t))) / 2;
    }
    case 'step':
      return schedule.learningRate * (schedule.gamma ?? 0.1) ** Math.floor(step / schedule.stepSize);
  }
}
