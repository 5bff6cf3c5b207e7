// Where there is no WebGPU (Node, or a browser without it) detection answers with a reason instead of
// throwing; the backend itself is checked in Chromium by e2e/webgpuKernels.e2e.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { requestWebGpuKernels } from './createWebGpuKernels';
import { detectWebGpu } from './webGpuAvailability';

describe('detectWebGpu', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('says navigator.gpu is missing where there is none', async () => {
    vi.stubGlobal('navigator', {});
    expect(await detectWebGpu()).toEqual({ available: false, reason: expect.stringMatching(/navigator\.gpu is missing/) });
  });

  it('reports an adapter request that yields nothing or throws, without throwing', async () => {
    vi.stubGlobal('navigator', { gpu: { requestAdapter: async () => null } });
    expect(await detectWebGpu()).toEqual({ available: false, reason: expect.stringMatching(/returned no adapter/) });
    vi.stubGlobal('navigator', {
      gpu: {
        requestAdapter: async () => {
          throw new Error('GPU process crashed');
        },
      },
    });
    expect(await detectWebGpu()).toEqual({ available: false, reason: expect.stringMatching(/failed: GPU process crashed/) });
  });

  it('requestWebGpuKernels gives the reason rather than a backend', async () => {
    vi.stubGlobal('navigator', {});
    const result = await requestWebGpuKernels();
    expect(result.kernels).toBeNull();
  });
});
