// The live curve of a training block (distill, finetune) while it trains, and after: the training
// loss at every reported point and the validation accuracy at each epoch's end, with the epoch and
// step, the latest loss and accuracy, an ETA, and two ways to stop — Cancel (the whole run) and
// "Stop & keep best" (this block ends now with its best checkpoint; the run goes on). It shows the
// block training now, else the last one that trained; with several training variants a picker
// chooses. Renders nothing when the run has no training block.
//
// Mount it where the run's results are (it reads trainingStore and runStore only). Like the results
// charts it never animates and draws plain tick labels, and trainingStore lands points at most four
// times a second, so a streaming curve costs the main thread little.
import { memo, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { CartesianGrid, Line, LineChart, XAxis, YAxis } from 'recharts';
import { plainTick } from '../charts/plainTick';
import { useRunStore } from '../stores/runStore';
import { etaSecondsOf, useTrainingStore, type TrainingCurve, type TrainingStatus } from '../stores/trainingStore';
import { accuracyAxis, accuracyCurve, formatEta, lossCurve, type AccuracyPoint, type LossPoint } from './trainingCurveData';
import './training.css';

const CHART_MARGIN = { top: 8, right: 12, bottom: 2, left: 2 };
const CHART_STYLE = { width: '100%', height: '100%' };
const Y_AXIS_WIDTH = 48;
const X_AXIS_HEIGHT = 22;

const STATUS_TEXT: Record<TrainingStatus, string> = {
  waiting: 'waiting',
  training: 'training',
  stopping: 'stopping — keeping the best checkpoint',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
  skipped: 'skipped',
};

const epochTick = plainTick<number>((value) => (Number.isInteger(value) ? String(value) : value.toFixed(1)), { axis: 'x' });
const lossTick = plainTick<number>((value) => (value >= 10 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(2)), { axis: 'y' });
const percentTicks = [0, 1].map((decimals) => plainTick<number>((value) => `${value.toFixed(decimals)} %`, { axis: 'y' }));

/** Whole-epoch ticks from 0 to `epochs`, at most 6 of them. */
function epochTicks(epochs: number): number[] {
  const every = Math.max(1, Math.ceil(epochs / 6));
  return Array.from({ length: Math.floor(epochs / every) + 1 }, (_, i) => i * every);
}

const LossChart = memo(function LossChart({ data, epochs }: { data: LossPoint[]; epochs: number }) {
  const ticks = useMemo(() => epochTicks(epochs), [epochs]);
  return (
    <figure className="training-chart" data-testid="training-loss-chart" data-points={data.length} data-last-loss={data.at(-1)?.loss ?? ''}>
      <figcaption>Training loss</figcaption>
      <div className="training-chart-plot">
        <LineChart responsive style={CHART_STYLE} data={data} margin={CHART_MARGIN}>
          <CartesianGrid vertical={false} />
          <XAxis type="number" dataKey="x" domain={[0, epochs]} ticks={ticks} interval={0} tick={epochTick} height={X_AXIS_HEIGHT} />
          <YAxis type="number" domain={['auto', 'auto']} tick={lossTick} width={Y_AXIS_WIDTH} />
          <Line type="linear" dataKey="loss" stroke="var(--accent)" strokeWidth={1.5} dot={false} isAnimationActive={false} />
        </LineChart>
      </div>
    </figure>
  );
});

const AccuracyChart = memo(function AccuracyChart({ data, epochs }: { data: AccuracyPoint[]; epochs: number }) {
  const ticks = useMemo(() => epochTicks(epochs), [epochs]);
  const axis = useMemo(() => accuracyAxis(data), [data]);
  return (
    <figure className="training-chart" data-testid="training-accuracy-chart" data-points={data.length} data-last-accuracy={data.at(-1)?.accuracy ?? ''}>
      <figcaption>Validation accuracy</figcaption>
      <div className="training-chart-plot">
        <LineChart responsive style={CHART_STYLE} data={data} margin={CHART_MARGIN}>
          <CartesianGrid vertical={false} />
          <XAxis type="number" dataKey="epoch" domain={[0, epochs]} ticks={ticks} interval={0} tick={epochTick} height={X_AXIS_HEIGHT} />
          <YAxis type="number" domain={axis.domain} ticks={axis.ticks} interval={0} tick={percentTicks[axis.decimals]} width={Y_AXIS_WIDTH} />
          <Line type="linear" dataKey="accuracy" stroke="var(--ok)" strokeWidth={1.5} dot={{ r: 3 }} isAnimationActive={false} />
        </LineChart>
      </div>
      {data.length === 0 && <p className="training-chart-empty">after the first epoch</p>}
    </figure>
  );
});

function Figures({ curve }: { curve: TrainingCurve }) {
  const latest = curve.points.at(-1);
  const accuracy = accuracyCurve(curve.points).at(-1);
  if (!latest) return <p className="training-figures">{curve.status === 'waiting' ? 'Waiting for its turn…' : curve.status === 'training' ? 'Preparing (teacher outputs, student)…' : 'No training points were reported.'}</p>;
  const live = curve.status === 'training' || curve.status === 'stopping';
  return (
    <dl className="training-figures" data-testid="training-figures">
      <div>
        <dt>Epoch</dt>
        <dd data-testid="training-epoch">
          {latest.epoch} / {latest.epochs}
        </dd>
      </div>
      <div>
        <dt>Step</dt>
        <dd data-testid="training-step">
          {latest.step} / {latest.stepsPerEpoch}
        </dd>
      </div>
      <div>
        <dt>Loss</dt>
        <dd>{latest.loss.toFixed(4)}</dd>
      </div>
      <div>
        <dt>Val. accuracy</dt>
        <dd>{accuracy ? `${accuracy.accuracy.toFixed(2)} %` : '—'}</dd>
      </div>
      <div>
        <dt>ETA</dt>
        <dd data-testid="training-eta">{live ? formatEta(etaSecondsOf(curve)) : '—'}</dd>
      </div>
    </dl>
  );
}

export function TrainingPanel() {
  const { order, curves, current } = useTrainingStore(useShallow((s) => ({ order: s.order, curves: s.curves, current: s.current })));
  const { phase, cancel, stopTraining } = useRunStore(useShallow((s) => ({ phase: s.phase, cancel: s.cancel, stopTraining: s.stopTraining })));
  const [picked, setPicked] = useState<string | null>(null);
  const shownId = picked !== null && picked in curves ? picked : (current ?? order.find((id) => curves[id]!.points.length > 0) ?? order[0] ?? null);
  const curve = shownId === null ? undefined : curves[shownId];
  const points = curve?.points;
  const loss = useMemo(() => lossCurve(points ?? []), [points]);
  const accuracy = useMemo(() => accuracyCurve(points ?? []), [points]);
  if (!curve) return null;
  const epochs = curve.points.at(-1)?.epochs ?? 1;
  const live = curve.status === 'training' || curve.status === 'stopping';
  const running = phase === 'running';
  return (
    <section className="training-panel" aria-label="Training" data-testid="training-panel" data-variant={curve.variantId} data-status={curve.status}>
      <header className="training-header">
        <h3>
          Training <span className="training-block">{curve.variantId}</span> <span className="training-type">{curve.type}</span>
        </h3>
        <span className={`training-status is-${curve.status}`} data-testid="training-status">
          {curve.status === 'done' && curve.stopRequested ? 'stopped early — kept the best checkpoint' : STATUS_TEXT[curve.status]}
        </span>
        {order.length > 1 && (
          <select className="training-picker" aria-label="Training block to show" value={curve.variantId} onChange={(event) => setPicked(event.target.value)}>
            {order.map((id) => (
              <option key={id} value={id}>
                {id} ({STATUS_TEXT[curves[id]!.status]})
              </option>
            ))}
          </select>
        )}
        <span className="training-actions">
          <button
            type="button"
            className="button"
            data-testid="training-stop"
            disabled={!running || !live || curve.stopRequested}
            onClick={() => stopTraining(curve.variantId)}
            title="End this block's training now and keep its best checkpoint so far (by validation accuracy); the run goes on"
          >
            Stop &amp; keep best
          </button>
          <button type="button" className="button" data-testid="training-cancel" disabled={!running} onClick={cancel} title="Cancel the whole run; finished variants stay">
            Cancel run
          </button>
        </span>
      </header>
      <Figures curve={curve} />
      <div className="training-charts">
        <LossChart data={loss} epochs={epochs} />
        <AccuracyChart data={accuracy} epochs={epochs} />
      </div>
    </section>
  );
}
