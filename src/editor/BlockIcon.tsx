// One small line icon per node type (20 × 20 grid, stroke in currentColor), drawn for Whittle:
// the palette, the canvas nodes and the help page use the same one.
import { memo } from 'react';
import type { NodeType } from '../core/pipeline/blockParams';

const PATHS: Record<NodeType, React.ReactNode> = {
  // a stack of layers
  model: (
    <>
      <path d="M10 3 17 6.5 10 10 3 6.5Z" />
      <path d="M3 10 10 13.5 17 10" />
      <path d="M3 13.5 10 17 17 13.5" />
    </>
  ),
  // a smooth curve snapped onto steps
  quantize: (
    <>
      <path d="M3 16h3.5v-4h3.5v-4h3.5V4H17" />
      <path d="M3 15.5C7 15 12 9 17 4.5" strokeDasharray="1.5 2" />
    </>
  ),
  // a grid with cells left out
  prune: (
    <>
      <rect x="3" y="3" width="4" height="4" rx="0.8" />
      <rect x="13" y="3" width="4" height="4" rx="0.8" />
      <rect x="8" y="8" width="4" height="4" rx="0.8" />
      <rect x="3" y="13" width="4" height="4" rx="0.8" />
      <path d="M13.5 13.5l3 3m0-3-3 3" />
    </>
  ),
  // a large circle teaching a small one
  distill: (
    <>
      <circle cx="7" cy="8" r="4.5" />
      <circle cx="14.5" cy="14" r="2.5" />
      <path d="M10.5 10.5 12.6 12.3" />
    </>
  ),
  // a loop arrow: training again
  finetune: (
    <>
      <path d="M16 10a6 6 0 1 1-1.8-4.3" />
      <path d="M16.5 3.5v3.5H13" />
    </>
  ),
  // one wide matrix becomes a tall and a flat one
  lowrank: (
    <>
      <rect x="3" y="4" width="4" height="12" rx="0.8" />
      <rect x="9" y="4" width="8" height="4" rx="0.8" />
      <path d="M9 12h8M9 15h5" strokeDasharray="1.5 1.8" />
    </>
  ),
  // points gathered around three centres
  cluster: (
    <>
      <circle cx="6" cy="6" r="2" />
      <circle cx="14" cy="7" r="2" />
      <circle cx="9" cy="14.5" r="2" />
      <path d="M3 3.5h.01M8.7 3.8h.01M16.8 4.5h.01M16.5 10h.01M5.5 16.8h.01M12.4 17h.01" strokeWidth="2.2" />
    </>
  ),
  // two boxes folded into one
  foldbn: (
    <>
      <rect x="3" y="5" width="6" height="10" rx="1" />
      <path d="M12 5h5v10h-5" strokeDasharray="1.6 1.8" />
      <path d="M14.5 10H9.5m1.8-1.8L9.5 10l1.8 1.8" />
    </>
  ),
  // bars of unequal height
  sensitivity: (
    <>
      <path d="M3 17h14" />
      <path d="M5 17v-5M8.5 17V5M12 17v-8M15.5 17v-3" strokeWidth="2.2" />
    </>
  ),
  // a spark: search on its own
  auto: (
    <>
      <path d="M9 2.5 10.6 7.4 15.5 9 10.6 10.6 9 15.5 7.4 10.6 2.5 9 7.4 7.4Z" />
      <path d="M15 13v4m-2-2h4" />
    </>
  ),
};

export const BlockIcon = memo(function BlockIcon({ type, size = 18 }: { type: NodeType; size?: number }) {
  return (
    <svg className="block-icon" viewBox="0 0 20 20" width={size} height={size} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      {PATHS[type]}
    </svg>
  );
});
