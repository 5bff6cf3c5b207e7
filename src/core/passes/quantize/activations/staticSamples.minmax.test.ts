// Static int8 weights + activations with 'minmax' calibration keep every bundled sample within 1 point
// of its float accuracy (testing/staticQuality.ts says how it is measured). One file per calibration
// method keeps each file's run short.
import { describe } from 'vitest';
import { itKeepsAccuracyOnEverySample } from './testing/staticQuality.js';

describe('static activation quantization quality: minmax', () => {
  itKeepsAccuracyOnEverySample('minmax');
});
