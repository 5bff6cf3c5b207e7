// Layer table ordering: by name or op (A→Z), params or bytes (largest first), or the model's order.
import type { LayerAccount } from '../core/graph/accounting';
import type { LayerSort } from '../stores/uiStore';

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function sortLayers(layers: readonly LayerAccount[], sort: LayerSort): readonly LayerAccount[] {
  const { key, descending } = sort;
  if (key === null) return layers;
  const compare = (a: LayerAccount, b: LayerAccount): number => {
    switch (key) {
      case 'name': return collator.compare(a.name, b.name);
      case 'op': return collator.compare(a.opType, b.opType) || collator.compare(a.name, b.name);
      case 'params': return a.params - b.params;
      case 'bytes': return a.bytes - b.bytes;
    }
  };
  // Array sort is stable, so equal keys keep model order in either direction.
  return [...layers].sort((a, b) => (descending ? compare(b, a) : compare(a, b)));
}
