// The colour key for operator categories, drawn in a corner of the canvas.
import { CATEGORY_LABELS, type OpCategory } from './opCategory';

const ORDER: OpCategory[] = ['linear', 'norm', 'activation', 'pooling', 'shape', 'quantization', 'other'];

export function CategoryLegend() {
  return (
    <ul className="category-legend" aria-label="Operator categories">
      {ORDER.map((category) => (
        <li key={category}>
          <span className={`legend-swatch op-${category}`} />
          {CATEGORY_LABELS[category]}
        </li>
      ))}
    </ul>
  );
}
