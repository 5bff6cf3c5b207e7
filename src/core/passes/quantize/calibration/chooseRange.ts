// The one place a calibration method name becomes a range: the Quantize block's `calibration`
// parameter picks one of the methods in this folder.
import type { CalibrationMethod } from '../QuantizeParams.js';
import type { ActivationStatistics, ClipRange } from './CalibrationHistogram.js';
import { entropyRange } from './entropy.js';
import { minMaxRange } from './minmax.js';
import { mseRange } from './mse.js';
import { percentileRange } from './percentile.js';

export const DEFAULT_PERCENTILE = 99.99;

/** Methods that choose from a distribution, so calibration must build histograms for them. */
export function methodNeedsHistogram(method: CalibrationMethod): boolean {
  return method !== 'minmax';
}

export function chooseRange(method: CalibrationMethod, statistics: ActivationStatistics, symmetric: boolean, percentile = DEFAULT_PERCENTILE): ClipRange {
  if (method === 'minmax') return minMaxRange(statistics, symmetric);
  const { histogram } = statistics;
  if (!histogram) throw new Error(`calibration '${method}' needs a histogram of the activation`);
  if (histogram.absolute !== symmetric) throw new Error(`calibration '${method}': the histogram is of ${histogram.absolute ? '|x|' : 'x'}, but a ${symmetric ? 'symmetric' : 'asymmetric'} range was asked for`);
  switch (method) {
    case 'percentile':
      return percentileRange(histogram, percentile);
    case 'entropy':
      return entropyRange(histogram);
    case 'mse':
      return mseRange(histogram);
  }
}
