// How many of each operator the graph has, as compact bars coloured like the canvas.
import type { OpCount } from '../core/graph/summary';
import { opCategory } from '../graphView/opCategory';

export function OpCounts({ counts }: { counts: OpCount[] }) {
  const most = Math.max(1, ...counts.map((c) => c.count));
  return (
    <ul className="op-counts" data-testid="op-counts">
      {counts.map((c) => (
        <li key={`${c.domain}::${c.opType}`} className={`op-${opCategory(c.opType)}`} title={c.domain ? `${c.domain}.${c.opType}` : c.opType}>
          <span className="legend-swatch" />
          <span className="op-count-name">{c.opType}</span>
          <span className="op-count-bar" style={{ width: `${(c.count / most) * 45}%` }} />
          <span className="op-count-value">{c.count}</span>
        </li>
      ))}
    </ul>
  );
}
