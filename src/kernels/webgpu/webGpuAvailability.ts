// Says whether this environment offers WebGPU, and why not when it does not. Never throws: callers
// pick a backend from the answer, and a missing GPU is an ordinary situation, not an error.

export type WebGpuAvailability =
  | { available: true; adapter: GPUAdapter; description: string }
  | { available: false; reason: string };

export async function detectWebGpu(): Promise<WebGpuAvailability> {
  try {
    const gpu = typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { gpu?: GPU }).gpu;
    if (!gpu) return { available: false, reason: 'navigator.gpu is missing: this browser or context offers no WebGPU' };
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { available: false, reason: 'navigator.gpu.requestAdapter() returned no adapter (WebGPU is disabled or no GPU is usable)' };
    const info = adapter.info;
    const description = [info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(' ') || 'unnamed adapter';
    return { available: true, adapter, description };
  } catch (error) {
    return { available: false, reason: `requesting a WebGPU adapter failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
