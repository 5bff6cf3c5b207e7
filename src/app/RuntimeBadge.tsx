// Where the loaded model runs: "wasm · 4 threads · 0.8 ms", or why ONNX Runtime cannot run it.
import { useShallow } from 'zustand/react/shallow';
import { useRuntimeStore } from '../stores/runtimeStore';
import { formatMilliseconds } from './formatNumbers';

export function RuntimeBadge() {
  const { status, backend, threads, latencyMs, fallbackReason, errorMessage, errorFileName } = useRuntimeStore(
    useShallow((s) => ({
      status: s.status,
      backend: s.backend,
      threads: s.threads,
      latencyMs: s.latencyMs,
      fallbackReason: s.fallbackReason,
      errorMessage: s.errorMessage,
      errorFileName: s.errorFileName,
    })),
  );
  let text: string;
  let title: string;
  let dataBackend: string;
  if (status === 'ready' && backend) {
    const threadText = backend === 'wasm' ? ` · ${threads} thread${threads === 1 ? '' : 's'}` : '';
    text = `${backend}${threadText} · ${formatMilliseconds(latencyMs ?? 0)}`;
    title = `ONNX Runtime Web ran one inference on zero-filled inputs${fallbackReason ? ` (WebGPU not used: ${fallbackReason})` : ''}`;
    dataBackend = backend;
  } else if (status === 'error') {
    title = errorMessage ?? 'ONNX Runtime cannot run this model';
    // The header already names the file; the badge has room for the reason only.
    const prefix = `${errorFileName}: `;
    text = title.startsWith(prefix) ? title.slice(prefix.length) : title;
    dataBackend = 'error';
  } else {
    text = status === 'pending' ? 'runtime · checking…' : 'runtime · idle';
    title = 'Checking how ONNX Runtime runs this model';
    dataBackend = 'pending';
  }
  return (
    <div className={`runtime-badge runtime-${dataBackend}`} data-testid="runtime-badge" data-backend={dataBackend} data-threads={threads ?? ''} title={title} role="status">
      <span className="runtime-dot" aria-hidden />
      <span className="runtime-text">{text}</span>
    </div>
  );
}
