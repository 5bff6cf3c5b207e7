// Loads and instantiates kernels.wasm wherever Whittle runs: in Node (Vitest, the CLI, benchmarks)
// the file is read from disk next to this module; in a browser or module worker bundled by Vite,
// `new URL('./kernels.wasm', import.meta.url)` becomes an asset on our own origin and is fetched.

/** The functions kernels.wasm exports (see assembly/index.ts); pointers are byte offsets. */
export interface KernelsModuleExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  gemmWorkspaceBytes(m: number, n: number, k: number): number;
  gemm(a: number, b: number, c: number, m: number, n: number, k: number, transA: number, transB: number, alpha: number, beta: number, workspace: number): void;
  im2col(x: number, height: number, width: number, kernelH: number, kernelW: number, strideH: number, strideW: number, padTop: number, padLeft: number, dilationH: number, dilationW: number, outH: number, outW: number, channelStart: number, channelCount: number, cols: number): void;
  col2im(cols: number, height: number, width: number, kernelH: number, kernelW: number, strideH: number, strideW: number, padTop: number, padLeft: number, dilationH: number, dilationW: number, outH: number, outW: number, channelStart: number, channelCount: number, dx: number): void;
  maxPoolForward(x: number, planes: number, height: number, width: number, kernelH: number, kernelW: number, strideH: number, strideW: number, padTop: number, padLeft: number, dilationH: number, dilationW: number, outH: number, outW: number, y: number, argmax: number): void;
  maxPoolBackward(dy: number, argmax: number, length: number, dx: number, dxLength: number): void;
  addChannelBias(x: number, bias: number, n: number, channels: number, spatial: number, y: number): void;
  sumPerChannel(x: number, n: number, channels: number, spatial: number, out: number): void;
  meanVariancePerChannel(x: number, n: number, channels: number, spatial: number, mean: number, variance: number): void;
  add(a: number, b: number, out: number, length: number): void;
  mul(a: number, b: number, out: number, length: number): void;
  axpy(alpha: number, x: number, y: number, length: number): void;
  scale(x: number, alpha: number, length: number): void;
  reluForward(x: number, y: number, length: number): void;
  reluBackward(x: number, dy: number, dx: number, length: number): void;
  sum(x: number, length: number): number;
  dot(a: number, b: number, length: number): number;
  conv2d(x: number, n: number, channels: number, height: number, width: number, kernelH: number, kernelW: number, strideH: number, strideW: number, padTop: number, padLeft: number, dilationH: number, dilationW: number, outH: number, outW: number, weight: number, outChannels: number, y: number, cols: number, workspace: number): void;
  adamUpdate(param: number, grad: number, m: number, v: number, length: number, learningRate: number, beta1: number, beta2: number, epsilon: number, firstCorrection: number, secondCorrection: number, decay: number): void;
}

export const KERNELS_WASM_URL = new URL('./kernels.wasm', import.meta.url);

/** The module's bytes: from disk for a file: URL (Node), otherwise fetched from our origin. */
export async function readKernelsWasm(url: URL = KERNELS_WASM_URL): Promise<ArrayBuffer | Uint8Array> {
  if (url.protocol === 'file:') {
    // Hidden from bundlers: the browser build never takes this branch and must not pull in node:fs.
    const fsModule = 'node:fs/promises';
    const { readFile } = (await import(/* @vite-ignore */ fsModule)) as typeof import('node:fs/promises');
    return readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`WASM kernels: fetching ${url.href} failed with HTTP ${response.status}`);
  return response.arrayBuffer();
}

export async function instantiateKernelsModule(bytes?: ArrayBuffer | Uint8Array): Promise<KernelsModuleExports> {
  const source = bytes ?? (await readKernelsWasm());
  if (!WebAssembly.validate(source as BufferSource)) {
    throw new Error('WASM kernels: kernels.wasm does not validate here (this engine may lack WebAssembly SIMD)');
  }
  const { instance } = await WebAssembly.instantiate(source as BufferSource, {});
  return instance.exports as unknown as KernelsModuleExports;
}
