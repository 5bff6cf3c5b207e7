// Pass-kernel backend selection: each backend loads in Node, 'auto' is wasm, and a module that
// will not load falls back to the JS reference under 'auto' but fails loudly when wasm is named.
import { describe, expect, it } from 'vitest';
import { createPassKernels } from './createPassKernels';

const notWasm = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00]); // wrong version

describe('createPassKernels', () => {
  it('gives the named backend, and wasm for auto', async () => {
    expect((await createPassKernels('js')).name).toBe('js');
    expect((await createPassKernels('wasm')).name).toBe('wasm');
    expect((await createPassKernels()).name).toBe('wasm');
  });

  it('falls back to JS under auto when the module does not load, and says why when wasm is named', async () => {
    const fallback = await createPassKernels('auto', notWasm);
    expect(fallback.name).toBe('js');
    expect(fallback.countNonzero(Float32Array.of(0, 2, -0, 3))).toBe(2);
    await expect(createPassKernels('wasm', notWasm)).rejects.toThrow(/kernels\.wasm does not validate here/);
  });
});
