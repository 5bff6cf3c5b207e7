import { describe, expect, it } from 'vitest';
import { describeIrVersion, LATEST_IR_VERSION } from './irVersion';

describe('describeIrVersion', () => {
  it('shows known versions as they are', () => {
    expect(describeIrVersion(7)).toBe('7');
    expect(describeIrVersion(LATEST_IR_VERSION)).toBe(String(LATEST_IR_VERSION));
  });
  it('flags a version newer than the codec knows', () => {
    expect(describeIrVersion(LATEST_IR_VERSION + 1)).toBe(`${LATEST_IR_VERSION + 1} (newer than ${LATEST_IR_VERSION}, the newest Whittle knows; unknown fields are kept as they are)`);
  });
});
