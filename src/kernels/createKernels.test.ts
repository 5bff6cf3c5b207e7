// Backend selection by name: each CPU backend loads in Node; WebGPU, absent here, fails with its reason.
import { describe, expect, it } from 'vitest';
import { createKernels } from './createKernels';

describe('createKernels', () => {
  it('gives the named CPU backend, and wasm for auto', async () => {
    expect((await createKernels('js')).name).toBe('js');
    expect((await createKernels('wasm')).name).toBe('wasm');
    expect((await createKernels()).name).toBe('wasm');
  });

  it('says why WebGPU is unavailable instead of falling back silently', async () => {
    await expect(createKernels('webgpu')).rejects.toThrow(/WebGPU kernel backend is unavailable: navigator\.gpu is missing/);
  });
});
