// Static int8 weights + activations with 'mse' calibration on every bundled sample: runs in ORT web
// and node, matches its simulation, and keeps the accuracy within 1 point of the float model's
// (testing/staticSampleChecks.ts says how each is measured). One file per calibration method keeps
// each file's run short.
import { describe } from 'vitest';
import { itChecksEverySample } from './testing/staticSampleChecks.js';

describe('static activation quantization on the bundled samples: mse', () => {
  itChecksEverySample('mse');
});
