import { deflateSync } from 'fflate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inflateWithLimit } from './boundedInflate';

describe('inflateWithLimit', () => {
  it('gives back what was deflated, for any bytes within the limit', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 0, max: 9 }), (bytes, level) => {
        const back = inflateWithLimit(deflateSync(bytes, { level: level as 0 }), 4096);
        expect(back.ok && Array.from(back.bytes)).toEqual(Array.from(bytes));
      }),
    );
  });

  it('stops an inflate bomb early: 10 MB of zeros in ~10 kB is refused after a few hundred kB', () => {
    const bomb = deflateSync(new Uint8Array(10_000_000), { level: 9 });
    expect(bomb.length).toBeLessThan(12_000);
    const outcome = inflateWithLimit(bomb, 262_144);
    expect(outcome).toMatchObject({ ok: false, reason: 'too-large', error: expect.stringContaining('more than 262,144 bytes') });
  });

  it('refuses data cut short and data that is not deflate', () => {
    const whole = deflateSync(new TextEncoder().encode('{"type":"whittle-pipeline","version":1,"nodes":[]}'.repeat(5)), { level: 9 });
    expect(inflateWithLimit(whole.subarray(0, whole.length - 4), 10_000)).toMatchObject({ ok: false, reason: 'damaged' });
    expect(inflateWithLimit(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x01]), 10_000)).toMatchObject({ ok: false, reason: 'damaged' });
    expect(inflateWithLimit(new Uint8Array(0), 10_000)).toMatchObject({ ok: false, reason: 'damaged' });
  });

  it('never throws on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => void inflateWithLimit(bytes, 10_000)));
  });
});
