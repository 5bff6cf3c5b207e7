import { describe, expect, it } from 'vitest';
import { smoothPathThrough } from './edgePath';

describe('smoothPathThrough', () => {
  it('starts at the first point, ends at the last, one curve per segment', () => {
    const { path } = smoothPathThrough([{ x: 0, y: 0 }, { x: 10, y: 20 }, { x: 10, y: 60 }]);
    expect(path.startsWith('M0,0')).toBe(true);
    expect(path.endsWith('10,60')).toBe(true);
    expect(path.match(/C/g)).toHaveLength(2);
  });
  it('puts the label at the middle point or between the two middle points', () => {
    expect(smoothPathThrough([{ x: 0, y: 0 }, { x: 4, y: 8 }, { x: 0, y: 16 }])).toMatchObject({ labelX: 4, labelY: 8 });
    expect(smoothPathThrough([{ x: 0, y: 0 }, { x: 0, y: 10 }])).toMatchObject({ labelX: 0, labelY: 5 });
  });
});
