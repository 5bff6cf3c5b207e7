// The progress display from a fixed sequence of executor events: a bar redrawn in place on a
// terminal, plain log lines anywhere else.
import { describe, expect, it, vi } from 'vitest';
import type { PipelineEvent } from '../../src/core/pipeline/executor/PipelineEvent.js';
import type { PlannedVariant } from '../../src/core/pipeline/planVariants.js';
import { RunProgress } from './RunProgress.js';

const metrics = (accuracy: number | null, sizeBytes: number) => ({ sizeBytes, gzipBytes: sizeBytes, params: 10, nonzeroParams: 10, accuracy, agreement: null, sqnrDb: null, latencyMs: null });
const variants = [{ id: 'model' }, { id: 'q[bits=4]' }] as PlannedVariant[];
const EVENTS: PipelineEvent[] = [
  { type: 'started', variants, data: { key: 'k', description: 'test.npz: all 500 test images' } },
  { type: 'variant', variantId: 'model', nodeId: 'model', status: 'done', metrics: metrics(0.9021, 941_251), cached: false },
  { type: 'variant', variantId: 'q[bits=4]', nodeId: 'q', status: 'running', stage: 'build', fraction: 0.5, message: 'layer fc1: 4-bit groups' },
  { type: 'note', message: 'calibrated on the test split', variantId: 'q[bits=4]' },
  { type: 'variant', variantId: 'q[bits=4]', nodeId: 'q', status: 'failed', message: "node 'q' (quantize): boom" },
];

function render(interactive: boolean, columns?: number): string {
  let text = '';
  const progress = new RunProgress({ write: (chunk: string) => (text += chunk), columns }, interactive);
  for (const event of EVENTS) progress.handle(event);
  progress.handle({ type: 'finished', run: { status: 'done', results: null, variants: [], notes: [] } });
  return text;
}

describe('RunProgress', () => {
  it('writes plain lines when stderr is not a terminal', () => {
    expect(render(false)).toBe(
      [
        'whittle: running 2 variants on test.npz: all 500 test images',
        'whittle: [1/2] model  accuracy 90.21 %  919 KB',
        'whittle: note: calibrated on the test split',
        "whittle: [2/2] q[bits=4] failed: node 'q' (quantize): boom",
        '',
      ].join('\n'),
    );
  });

  it('draws a bar on a terminal, keeps settled lines above it, and clears it at the end', () => {
    const text = render(true);
    expect(text).toContain('\r\x1b[2K[░░░░░░░░░░░░░░░░░░░░░░░░]  0/2  ');
    // After the model is done (1 of 2) and q is halfway through its build (a quarter of its work).
    expect(text).toContain(`\r\x1b[2K[${'█'.repeat(15)}${'░'.repeat(9)}]  1/2  q[bits=4]: layer fc1: 4-bit groups 50%`);
    expect(text).toContain('[1/2] ✓ model  accuracy 90.21 %  919 KB\n');
    expect(text).toContain("[2/2] ✗ q[bits=4] failed: node 'q' (quantize): boom\n");
    expect(text.endsWith('\r\x1b[2K')).toBe(false); // nothing left to clear once all settled
    const visible = text.split('\r\x1b[2K').at(-1)!;
    expect(visible).toBe("[2/2] ✗ q[bits=4] failed: node 'q' (quantize): boom\n");
  });

  it('cuts the bar line to the terminal width, so it can be redrawn in place', () => {
    const text = render(true, 40);
    const bars = text.split('\r\x1b[2K').filter((part) => /^\[[█░]/.test(part));
    expect(bars.length).toBeGreaterThan(0);
    for (const bar of bars) expect(bar.length).toBeLessThan(40);
    expect(bars).toContain(`[${'█'.repeat(15)}${'░'.repeat(9)}]  1/2  q[bit…`);
  });

  it('shows a training block\'s live curve on the bar (epoch, step, loss, val accuracy, ETA) and a line per finished epoch', () => {
    const training: PipelineEvent[] = [
      { type: 'started', variants: [{ id: 'model' }, { id: 'd' }] as PlannedVariant[], data: { key: 'k', description: 'fashion-mnist' } },
      { type: 'variant', variantId: 'model', nodeId: 'model', status: 'done', metrics: metrics(0.9, 1000), cached: false },
      { type: 'variant', variantId: 'd', nodeId: 'd', status: 'running', stage: 'build', fraction: 0.1, message: 'teacher logits' },
      { type: 'training', variantId: 'd', nodeId: 'd', point: { epoch: 1, epochs: 2, step: 10, stepsPerEpoch: 10, loss: 0.5, validationAccuracy: 0.861, etaSeconds: 65 } },
      { type: 'training', variantId: 'd', nodeId: 'd', point: { epoch: 2, epochs: 2, step: 3, stepsPerEpoch: 10, loss: 0.25, etaSeconds: 7 } },
      { type: 'variant', variantId: 'd', nodeId: 'd', status: 'running', stage: 'build', fraction: 0.7, message: 'epoch 2 of 2, step 3 of 10' },
    ];
    let bar = '';
    const terminal = new RunProgress({ write: (chunk: string) => (bar += chunk) }, true);
    vi.useFakeTimers();
    try {
      for (const event of training) {
        vi.advanceTimersByTime(100); // past the redraw interval: every event may redraw
        terminal.handle(event);
      }
    } finally {
      vi.useRealTimers();
    }
    expect(bar).toContain('d: epoch 1/2 · loss 0.5000 · val 86.10 %\n');
    expect(bar).toContain('  1/2  d: epoch 2/2 · step 3/10 · loss 0.2500 · val 86.10 % · ETA 7 s');
    expect(bar.split('\r\x1b[2K').at(-1)).toMatch(/1\/2  d: epoch 2\/2 · step 3\/10 · loss 0\.2500 · val 86\.10 % · ETA 7 s$/);

    let log = '';
    const plain = new RunProgress({ write: (chunk: string) => (log += chunk) }, false);
    for (const event of training) plain.handle(event);
    expect(log.split('\n').filter((line) => line.includes('epoch'))).toEqual(['whittle: d: epoch 1/2 · loss 0.5000 · val 86.10 %']);
  });
});
