// The canvas minimap. React Flow's MiniMap renders one React component per node, which
// costs seconds at 5,000 nodes; this one paints every node into one <canvas> once per model and
// moves only a viewport rectangle as the user pans. Click or drag on it to move the view. When the
// graph is coloured by a metric, the minimap paints layers in the same colours.
import { useEffect, useMemo, useRef, type PointerEvent } from 'react';
import { useReactFlow, useStore } from '@xyflow/react';
import type { LoadedModel } from '../stores/modelStore';
import { useGraphColorStore } from '../stores/graphColorStore';
import { mixHex, scalePosition } from './coloring/metricScale';
import { opCategory } from './opCategory';

const WIDTH = 200;
const HEIGHT = 150;
const PADDING = 6;

interface MinimapFrame {
  minX: number;
  minY: number;
  scale: number;
  offsetX: number;
  offsetY: number;
}

function frameFor(model: LoadedModel): MinimapFrame {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const box of model.positions.byId.values()) {
    minX = Math.min(minX, box.x);
    minY = Math.min(minY, box.y);
    maxX = Math.max(maxX, box.x + box.width);
    maxY = Math.max(maxY, box.y + box.height);
  }
  if (!Number.isFinite(minX)) return { minX: 0, minY: 0, scale: 1, offsetX: 0, offsetY: 0 };
  const scale = Math.min((WIDTH - 2 * PADDING) / (maxX - minX || 1), (HEIGHT - 2 * PADDING) / (maxY - minY || 1));
  return {
    minX,
    minY,
    scale,
    offsetX: (WIDTH - (maxX - minX) * scale) / 2,
    offsetY: (HEIGHT - (maxY - minY) * scale) / 2,
  };
}

export function CanvasMinimap({ model }: { model: LoadedModel }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const frame = useMemo(() => frameFor(model), [model]);
  const [x, y, zoom] = useStore((s) => s.transform);
  const viewWidth = useStore((s) => s.width);
  const viewHeight = useStore((s) => s.height);
  const { setCenter, getZoom } = useReactFlow();
  const coloring = useGraphColorStore((s) => s.coloring);

  useEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    const ratio = globalThis.devicePixelRatio || 1;
    canvas.width = WIDTH * ratio;
    canvas.height = HEIGHT * ratio;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, WIDTH, HEIGHT);
    const style = getComputedStyle(canvas);
    const colours = new Map<string, string>();
    const colourOf = (key: string) => {
      let colour = colours.get(key);
      if (!colour) colours.set(key, (colour = style.getPropertyValue(key).trim() || '#888'));
      return colour;
    };
    const byMetric = coloring.metric !== 'category';
    const fillOf = (node: (typeof model.view.nodes)[number]) => {
      if (node.kind !== 'op') return colourOf('--terminal-minimap');
      if (!byMetric) return colourOf(`--op-${opCategory(node.opType)}`);
      const value = coloring.values.get(node.id);
      if (!value || !coloring.scale) return colourOf('--metric-none');
      return mixHex(colourOf('--metric-cool'), colourOf('--metric-hot'), scalePosition(coloring.scale, value.value));
    };
    for (const node of model.view.nodes) {
      const box = model.positions.byId.get(node.id);
      if (!box) continue;
      context.fillStyle = fillOf(node);
      const w = Math.max(1, box.width * frame.scale);
      const h = Math.max(1, box.height * frame.scale);
      context.fillRect(frame.offsetX + (box.x - frame.minX) * frame.scale, frame.offsetY + (box.y - frame.minY) * frame.scale, w, h);
    }
  }, [model, frame, coloring]);

  // The part of the graph on screen, in minimap pixels.
  const toMinimap = (flowX: number, flowY: number) => ({
    left: frame.offsetX + (flowX - frame.minX) * frame.scale,
    top: frame.offsetY + (flowY - frame.minY) * frame.scale,
  });
  const topLeft = toMinimap(-x / zoom, -y / zoom);
  const bottomRight = toMinimap((viewWidth - x) / zoom, (viewHeight - y) / zoom);

  const moveTo = (event: PointerEvent<HTMLDivElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const flowX = frame.minX + (event.clientX - rect.left - frame.offsetX) / frame.scale;
    const flowY = frame.minY + (event.clientY - rect.top - frame.offsetY) / frame.scale;
    void setCenter(flowX, flowY, { zoom: getZoom() });
  };

  return (
    <div
      className="canvas-minimap"
      style={{ width: WIDTH, height: HEIGHT }}
      role="img"
      aria-label="Graph overview"
      onPointerDown={(event) => {
        event.currentTarget.setPointerCapture(event.pointerId);
        moveTo(event);
      }}
      onPointerMove={(event) => {
        if (event.buttons & 1) moveTo(event);
      }}
    >
      <canvas ref={canvasRef} style={{ width: WIDTH, height: HEIGHT }} />
      <div
        className="canvas-minimap-view"
        style={{
          left: Math.max(0, topLeft.left),
          top: Math.max(0, topLeft.top),
          width: Math.max(2, Math.min(WIDTH, bottomRight.left) - Math.max(0, topLeft.left)),
          height: Math.max(2, Math.min(HEIGHT, bottomRight.top) - Math.max(0, topLeft.top)),
        }}
      />
    </div>
  );
}
