// Test-only: pipeline files for the CLI tests — a temporary folder to write them into, and the
// quantize sweep on the MLP sample that most of them start from.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PipelineFolder {
  path: string;
  /** Writes a pipeline (an object as JSON, or raw text) and returns its path. */
  write(name: string, document: unknown): string;
  remove(): void;
}

export function pipelineFolder(prefix: string): PipelineFolder {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    write(name, document) {
      const file = join(path, name);
      writeFileSync(file, typeof document === 'string' ? document : JSON.stringify(document));
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** model → quantize bits [8, 4] on the fashion-mlp sample, with `extra` fields on top. */
export function quantizeSweep(extra: Record<string, unknown> = {}) {
  return {
    type: 'whittle-pipeline',
    version: 1,
    model: { sample: 'fashion-mlp' },
    nodes: [
      { id: 'model', type: 'model' },
      { id: 'q', type: 'quantize', params: { bits: [8, 4] } },
    ],
    edges: [{ source: 'model', target: 'q' }],
    ...extra,
  };
}
