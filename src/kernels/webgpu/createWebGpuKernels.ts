// The WebGPU backend: gemm and conv2d run as WGSL compute shaders (./gemmShader.ts,
// ./conv2dShader.ts); every other kernel is delegated to a CPU backend (wasm when it loads, the JS
// reference otherwise), because elementwise work is cheaper on the CPU than a round trip to the GPU.
// Each call uploads its operands, dispatches, and reads the result back before its Promise resolves;
// validation errors surface as rejected Promises naming the kernel, not as silent zeros.
import { checkGemmLengths } from '../js/gemm';
import { createJsKernels } from '../js/createJsKernels';
import type { GemmShape, KernelBackendName, Kernels, WindowGeometry } from '../Kernels';
import { createWasmKernels } from '../wasm/createWasmKernels';
import { CONV2D_PARAM_WORDS, CONV2D_SHADER, CONV2D_WORKGROUP } from './conv2dShader';
import { GEMM_PARAM_WORDS, GEMM_SHADER, GEMM_TILE } from './gemmShader';
import { detectWebGpu } from './webGpuAvailability';

export interface WebGpuKernels extends Kernels {
  readonly name: 'webgpu';
  readonly device: GPUDevice;
  /** the CPU backend that runs every kernel except gemm and conv2d */
  readonly delegate: KernelBackendName;
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, shape: GemmShape): Promise<void>;
  conv2d(x: Float32Array, n: number, g: WindowGeometry, weight: Float32Array, outChannels: number, y: Float32Array): Promise<void>;
}

const MAX_WORKGROUPS_PER_DIMENSION = 65535;

/** One dispatch: storage inputs (bindings 0, 1), the output (binding 2), the uniforms (binding 3). */
interface Dispatch {
  kernel: string;
  pipeline: () => GPUComputePipeline;
  inputs: [Float32Array, Float32Array];
  output: Float32Array;
  /** whether the output's current contents must be uploaded (gemm with beta ≠ 0) */
  uploadOutput: boolean;
  params: ArrayBuffer;
  workgroups: [number, number];
}

export function createWebGpuKernels(device: GPUDevice, delegate: Kernels = createJsKernels()): WebGpuKernels {
  const pipelines = new Map<string, GPUComputePipeline>();
  const pipeline = (name: string, code: string) => () => {
    let made = pipelines.get(name);
    if (!made) {
      made = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code, label: name }), entryPoint: 'main' } });
      pipelines.set(name, made);
    }
    return made;
  };
  const gemmPipeline = pipeline('gemm', GEMM_SHADER);
  const conv2dPipeline = pipeline('conv2d', CONV2D_SHADER);

  function storageBuffer(kernel: string, floats: number, usage: GPUBufferUsageFlags): GPUBuffer {
    const size = Math.max(16, Math.ceil((floats * 4) / 16) * 16);
    if (size > device.limits.maxStorageBufferBindingSize) {
      throw new RangeError(`webgpu ${kernel}: an operand of ${floats} floats exceeds this device's ${device.limits.maxStorageBufferBindingSize}-byte storage binding limit`);
    }
    return device.createBuffer({ size, usage });
  }

  // Error scopes are a per-device stack: calls run one after another so that each pops its own.
  let previous: Promise<unknown> = Promise.resolve();
  function dispatch(job: Dispatch): Promise<void> {
    const run = previous.then(() => dispatchNow(job));
    previous = run.catch(() => undefined);
    return run;
  }

  async function dispatchNow(job: Dispatch): Promise<void> {
    const [groupsX, groupsY] = job.workgroups;
    if (groupsX > MAX_WORKGROUPS_PER_DIMENSION || groupsY > MAX_WORKGROUPS_PER_DIMENSION) {
      throw new RangeError(`webgpu ${job.kernel}: ${groupsX}×${groupsY} workgroups exceed the ${MAX_WORKGROUPS_PER_DIMENSION} per dimension a dispatch allows`);
    }
    const created: GPUBuffer[] = [];
    device.pushErrorScope('validation');
    device.pushErrorScope('out-of-memory');
    let openScopes = 2;
    try {
      const inputs = job.inputs.map((array) => {
        const buffer = storageBuffer(job.kernel, array.length, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
        created.push(buffer);
        device.queue.writeBuffer(buffer, 0, array);
        return buffer;
      });
      const output = storageBuffer(job.kernel, job.output.length, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST);
      created.push(output);
      if (job.uploadOutput) device.queue.writeBuffer(output, 0, job.output);
      const uniforms = device.createBuffer({ size: job.params.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
      created.push(uniforms);
      device.queue.writeBuffer(uniforms, 0, job.params);
      const readback = device.createBuffer({ size: output.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      created.push(readback);

      const computePipeline = job.pipeline();
      const bindGroup = device.createBindGroup({
        layout: computePipeline.getBindGroupLayout(0),
        entries: [{ binding: 0, resource: { buffer: inputs[0]! } }, { binding: 1, resource: { buffer: inputs[1]! } }, { binding: 2, resource: { buffer: output } }, { binding: 3, resource: { buffer: uniforms } }],
      });
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(computePipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(groupsX, groupsY);
      pass.end();
      encoder.copyBufferToBuffer(output, 0, readback, 0, output.size);
      device.queue.submit([encoder.finish()]);

      openScopes = 0;
      const outOfMemory = await device.popErrorScope();
      const invalid = await device.popErrorScope();
      const failure = invalid ?? outOfMemory;
      if (failure) throw new Error(`webgpu ${job.kernel}: the GPU rejected the dispatch: ${failure.message}`);
      await readback.mapAsync(GPUMapMode.READ);
      job.output.set(new Float32Array(readback.getMappedRange(), 0, job.output.length));
      readback.unmap();
    } catch (error) {
      // Scopes left open after an early throw would swallow the errors of later calls.
      for (; openScopes > 0; openScopes--) await device.popErrorScope().catch(() => undefined);
      throw error;
    } finally {
      for (const buffer of created) buffer.destroy();
    }
  }

  async function gemm(a: Float32Array, b: Float32Array, c: Float32Array, shape: GemmShape): Promise<void> {
    const { m, n, k, transA = false, transB = false, alpha = 1, beta = 0 } = shape;
    checkGemmLengths(a, b, c, shape);
    if (m === 0 || n === 0) return;
    const params = new ArrayBuffer(GEMM_PARAM_WORDS * 4);
    new Uint32Array(params, 0, 8).set([m, n, k, transA ? 1 : 0, transB ? 1 : 0, 0, 0, 0]);
    new Float32Array(params, 32, 2).set([alpha, beta]);
    const result = c.length === m * n ? c : c.subarray(0, m * n);
    await dispatch({
      kernel: 'gemm',
      pipeline: gemmPipeline,
      inputs: [a.subarray(0, m * k), b.subarray(0, k * n)],
      output: result,
      uploadOutput: beta !== 0,
      params,
      workgroups: [Math.ceil(n / GEMM_TILE), Math.ceil(m / GEMM_TILE)],
    });
  }

  async function conv2d(x: Float32Array, n: number, g: WindowGeometry, weight: Float32Array, outChannels: number, y: Float32Array): Promise<void> {
    const inputLength = n * g.channels * g.height * g.width;
    const weightLength = outChannels * g.channels * g.kernelH * g.kernelW;
    const outputLength = n * outChannels * g.outH * g.outW;
    if (x.length < inputLength || weight.length < weightLength || y.length < outputLength) {
      throw new RangeError(`webgpu conv2d: needs x ≥ ${inputLength}, weight ≥ ${weightLength}, y ≥ ${outputLength} floats; got ${x.length}, ${weight.length}, ${y.length}`);
    }
    if (outputLength === 0) return;
    const groups = Math.ceil(outputLength / CONV2D_WORKGROUP);
    const groupsX = Math.min(groups, MAX_WORKGROUPS_PER_DIMENSION);
    const groupsY = Math.ceil(groups / groupsX);
    const params = new Uint32Array(CONV2D_PARAM_WORDS);
    params.set([n, g.channels, g.height, g.width, outChannels, g.kernelH, g.kernelW, g.strideH, g.strideW, g.padTop, g.padLeft, g.dilationH, g.dilationW, g.outH, g.outW, groupsX]);
    await dispatch({
      kernel: 'conv2d',
      pipeline: conv2dPipeline,
      inputs: [x.subarray(0, inputLength), weight.subarray(0, weightLength)],
      output: y.length === outputLength ? y : y.subarray(0, outputLength),
      uploadOutput: false,
      params: params.buffer,
      workgroups: [groupsX, groupsY],
    });
  }

  return {
    name: 'webgpu',
    device,
    delegate: delegate.name,
    gemm,
    conv2d,
    im2col: (...args) => delegate.im2col(...args),
    col2im: (...args) => delegate.col2im(...args),
    maxPoolForward: (...args) => delegate.maxPoolForward(...args),
    maxPoolBackward: (...args) => delegate.maxPoolBackward(...args),
    addChannelBias: (...args) => delegate.addChannelBias(...args),
    sumPerChannel: (...args) => delegate.sumPerChannel(...args),
    meanVariancePerChannel: (...args) => delegate.meanVariancePerChannel(...args),
    add: (...args) => delegate.add(...args),
    mul: (...args) => delegate.mul(...args),
    axpy: (...args) => delegate.axpy(...args),
    scale: (...args) => delegate.scale(...args),
    reluForward: (...args) => delegate.reluForward(...args),
    reluBackward: (...args) => delegate.reluBackward(...args),
    sum: (...args) => delegate.sum(...args),
    dot: (...args) => delegate.dot(...args),
    adamUpdate: (...args) => delegate.adamUpdate(...args),
  };
}

/**
 * The WebGPU backend when this environment has an adapter and grants a device, delegating to wasm
 * (or JS where wasm will not load); otherwise the reason there is none. Never throws.
 */
export async function requestWebGpuKernels(): Promise<{ kernels: WebGpuKernels; adapter: string } | { kernels: null; reason: string }> {
  const availability = await detectWebGpu();
  if (!availability.available) return { kernels: null, reason: availability.reason };
  let device: GPUDevice;
  try {
    device = await availability.adapter.requestDevice();
  } catch (error) {
    return { kernels: null, reason: `the WebGPU adapter (${availability.description}) refused a device: ${error instanceof Error ? error.message : String(error)}` };
  }
  const delegate = await createWasmKernels().catch(() => createJsKernels());
  return { kernels: createWebGpuKernels(device, delegate), adapter: availability.description };
}
