// Node box sizes, shared by the layout request and the node components so what is laid out is
// what is drawn.
import type { GraphViewNodeKind } from '../core/graph/viewModel';

export const OP_NODE_WIDTH = 172;
export const OP_NODE_HEIGHT = 42;
export const TERMINAL_WIDTH = 152;
export const TERMINAL_HEIGHT = 30;

export function nodeSize(kind: GraphViewNodeKind): { width: number; height: number } {
  return kind === 'op' ? { width: OP_NODE_WIDTH, height: OP_NODE_HEIGHT } : { width: TERMINAL_WIDTH, height: TERMINAL_HEIGHT };
}
