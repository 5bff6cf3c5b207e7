import { describe, expect, it } from 'vitest';
import type { LayerAccount } from '../core/graph/accounting';
import { sortLayers } from './sortLayers';

const layer = (id: string, opType: string, params: number, bytes: number): LayerAccount => ({
  id, name: id, opType, weights: [], params, bytes, bytesByDtype: { float32: bytes },
});
const layers = [layer('conv10', 'Conv', 50, 200), layer('conv2', 'Conv', 500, 2000), layer('fc', 'Gemm', 50, 100)];

describe('sortLayers', () => {
  it('keeps model order without a key', () => {
    expect(sortLayers(layers, { key: null, descending: false })).toBe(layers);
  });
  it('sorts names naturally (conv2 before conv10)', () => {
    expect(sortLayers(layers, { key: 'name', descending: false }).map((l) => l.id)).toEqual(['conv2', 'conv10', 'fc']);
  });
  it('sorts numbers either way, ties in model order', () => {
    expect(sortLayers(layers, { key: 'params', descending: true }).map((l) => l.id)).toEqual(['conv2', 'conv10', 'fc']);
    expect(sortLayers(layers, { key: 'bytes', descending: false }).map((l) => l.id)).toEqual(['fc', 'conv10', 'conv2']);
  });
  it('sorts by op, then name', () => {
    expect(sortLayers(layers, { key: 'op', descending: true }).map((l) => l.id)).toEqual(['fc', 'conv10', 'conv2']);
  });
});
