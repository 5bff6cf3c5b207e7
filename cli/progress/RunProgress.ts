// Shows a pipeline run on stderr from the executor's events. On a terminal: one progress bar line,
// redrawn in place, with a line above it for every variant that settles. Anywhere else (a CI log, a
// file): plain lines only, one per settled variant and note, nothing redrawn.
//
//   [██████████░░░░░░░░░░░░░░]  2/4  q[bits=8]: evaluate 45%
//   ✓ q[bits=8]   89.80 %   233 KB
//
// A training block (distill, finetune) shows its live curve on the bar instead of the pass's
// message — epoch, step, loss, validation accuracy, ETA — and writes one line per finished epoch:
//
//   [████████░░░░░░░░░░░░░░░░]  1/3  d: epoch 2/3 · step 120/844 · loss 0.4312 · val 88.10 % · ETA 1 min 05 s
//   d: epoch 1/3 · loss 0.5123 · val 86.40 %
import type { TrainingPoint } from '../../src/core/passes/Pass.js';
import type { PipelineEvent, VariantStage } from '../../src/core/pipeline/executor/PipelineEvent.js';
import { formatBytes } from '../format/quantities.js';
import { formatPercent } from '../format/resultsText.js';

const BAR_WIDTH = 24;

/** "42 s", "1 min 05 s" */
function formatSeconds(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  return whole < 60 ? `${whole} s` : `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}
/** Redraws at most this often (ms): a fast pass reports hundreds of steps a second. */
const REDRAW_INTERVAL_MS = 80;

export interface ProgressStream {
  write(text: string): unknown;
  /** A terminal's width; the bar line is cut to it, since a wrapped line cannot be redrawn in place. */
  columns?: number;
}

export class RunProgress {
  private total = 0;
  private settled = 0;
  private evaluates = false;
  private readonly running = new Map<string, number>();
  private current = '';
  private lastDraw = 0;
  private barShown = false;
  /** The live-curve text of each training variant, and its latest validation accuracy. */
  private readonly training = new Map<string, { text: string; accuracy: number | undefined }>();

  constructor(
    private readonly stream: ProgressStream,
    private readonly interactive: boolean,
  ) {}

  /** Feed every PipelineEvent here. */
  readonly handle = (event: PipelineEvent): void => {
    switch (event.type) {
      case 'started':
        this.total = event.variants.length;
        this.evaluates = event.data !== null;
        this.line(`running ${this.total} variant${this.total === 1 ? '' : 's'}${event.data ? ` on ${event.data.description}` : ' (no dataset: size figures only)'}`);
        break;
      case 'note':
        this.line(`note: ${event.message}`);
        break;
      case 'variant':
        if (event.status === 'running') {
          this.running.set(event.variantId, this.variantFraction(event.stage, event.fraction));
          const curve = event.stage === 'build' ? this.training.get(event.variantId) : undefined;
          this.current = `${event.variantId}: ${curve ? curve.text : `${event.stage === 'build' ? (event.message ?? 'building') : 'evaluating'} ${Math.round(event.fraction * 100)}%`}`;
          this.draw(false);
        } else if (event.status === 'done' || event.status === 'failed' || event.status === 'skipped' || event.status === 'cancelled') {
          this.running.delete(event.variantId);
          this.training.delete(event.variantId);
          this.settled += 1;
          this.line(this.settledText(event));
        }
        break;
      case 'training':
        this.trainingPoint(event.variantId, event.point);
        break;
      case 'finished':
        this.clearBar();
        break;
      default:
        break;
    }
  };

  private trainingPoint(variantId: string, point: TrainingPoint): void {
    const accuracy = point.validationAccuracy ?? this.training.get(variantId)?.accuracy;
    const parts = [`epoch ${point.epoch}/${point.epochs}`, `step ${point.step}/${point.stepsPerEpoch}`, `loss ${point.loss.toFixed(4)}`];
    if (accuracy !== undefined) parts.push(`val ${formatPercent(accuracy)}`);
    if (point.etaSeconds !== undefined) parts.push(`ETA ${formatSeconds(point.etaSeconds)}`);
    this.training.set(variantId, { text: parts.join(' · '), accuracy });
    if (point.validationAccuracy !== undefined) this.line(`${variantId}: epoch ${point.epoch}/${point.epochs} · loss ${point.loss.toFixed(4)} · val ${formatPercent(point.validationAccuracy)}`);
    this.current = `${variantId}: ${parts.join(' · ')}`;
    this.draw(false);
  }

  private variantFraction(stage: VariantStage, fraction: number): number {
    if (!this.evaluates) return fraction;
    return stage === 'build' ? fraction / 2 : 0.5 + fraction / 2;
  }

  private settledText(event: Extract<PipelineEvent, { type: 'variant' }>): string {
    const count = `[${this.settled}/${this.total}]`;
    switch (event.status) {
      case 'done': {
        const { metrics } = event;
        const accuracy = metrics.accuracy === null ? '' : `  accuracy ${formatPercent(metrics.accuracy)}`;
        return `${count} ${this.interactive ? '✓ ' : ''}${event.variantId}${accuracy}  ${formatBytes(metrics.sizeBytes)}${event.cached ? '  (cached)' : ''}`;
      }
      case 'failed':
        return `${count} ${this.interactive ? '✗ ' : ''}${event.variantId} failed: ${event.message}`;
      case 'skipped':
        return `${count} ${event.variantId} skipped: ${event.reason}`;
      default:
        return `${count} ${event.variantId} cancelled`;
    }
  }

  /** A line that stays: above the bar on a terminal, a plain log line elsewhere. */
  private line(text: string): void {
    if (this.interactive) {
      this.clearBar();
      this.stream.write(`${text}\n`);
      this.draw(true);
    } else {
      this.stream.write(`whittle: ${text}\n`);
    }
  }

  private draw(force: boolean): void {
    if (!this.interactive || this.total === 0 || this.settled === this.total) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < REDRAW_INTERVAL_MS) return;
    this.lastDraw = now;
    const inFlight = [...this.running.values()].reduce((sum, fraction) => sum + fraction, 0);
    const fraction = Math.min(1, (this.settled + inFlight) / this.total);
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}]`;
    const text = `${bar}  ${this.settled}/${this.total}  ${this.current}`;
    const width = this.stream.columns;
    this.stream.write(`\r\x1b[2K${width !== undefined && width > 1 && text.length >= width ? `${text.slice(0, width - 2)}…` : text}`);
    this.barShown = true;
  }

  private clearBar(): void {
    if (!this.barShown) return;
    this.stream.write('\r\x1b[2K');
    this.barShown = false;
  }
}
