// Windowed rendering for a long table inside a scrolling panel: only the rows near the visible part
// of the scroll container are in the DOM, with spacer rows standing in for the rest. Rows must have
// a fixed height. Small tables render whole (every row stays queryable).
import { useCallback, useEffect, useState, type RefObject } from 'react';

export interface RowWindow {
  start: number;
  end: number;
  /** Scrolls the container the least amount that shows row `index`. */
  scrollToRow(index: number): void;
}

const OVERSCAN_ROWS = 20;

export function useRowWindow(
  bodyRef: RefObject<HTMLElement | null>,
  scrollContainerSelector: string,
  rowCount: number,
  rowHeight: number,
  enabled: boolean,
): RowWindow {
  const [range, setRange] = useState({ start: 0, end: enabled ? Math.min(rowCount, 60) : rowCount });

  const measure = useCallback(() => {
    const body = bodyRef.current;
    const container = body?.closest<HTMLElement>(scrollContainerSelector);
    if (!enabled || !body || !container) {
      setRange((r) => (r.start === 0 && r.end === rowCount ? r : { start: 0, end: rowCount }));
      return;
    }
    // How far the body's top has scrolled above the container's top edge.
    const scrolledPast = container.getBoundingClientRect().top - body.getBoundingClientRect().top;
    const first = Math.max(0, Math.floor(scrolledPast / rowHeight) - OVERSCAN_ROWS);
    const last = Math.min(rowCount, Math.ceil((scrolledPast + container.clientHeight) / rowHeight) + OVERSCAN_ROWS);
    const end = Math.max(last, Math.min(rowCount, first + 1));
    setRange((r) => (r.start === first && r.end === end ? r : { start: first, end }));
  }, [bodyRef, scrollContainerSelector, rowCount, rowHeight, enabled]);

  useEffect(() => {
    const container = bodyRef.current?.closest<HTMLElement>(scrollContainerSelector);
    measure();
    if (!container || !enabled) return;
    const observer = new ResizeObserver(measure);
    observer.observe(container);
    container.addEventListener('scroll', measure, { passive: true });
    return () => {
      observer.disconnect();
      container.removeEventListener('scroll', measure);
    };
  }, [bodyRef, scrollContainerSelector, measure, enabled]);

  const scrollToRow = useCallback(
    (index: number) => {
      const body = bodyRef.current;
      const container = body?.closest<HTMLElement>(scrollContainerSelector);
      if (!body || !container) return;
      const bodyTop = body.getBoundingClientRect().top - container.getBoundingClientRect().top + container.scrollTop;
      const rowTop = bodyTop + index * rowHeight;
      // Leave room for the sticky header above and the sticky totals row below.
      const margin = rowHeight * 2;
      if (rowTop - margin < container.scrollTop) container.scrollTop = rowTop - margin;
      else if (rowTop + rowHeight + margin > container.scrollTop + container.clientHeight) {
        container.scrollTop = rowTop + rowHeight + margin - container.clientHeight;
      }
      measure();
    },
    [bodyRef, scrollContainerSelector, rowHeight, measure],
  );

  return { start: enabled ? range.start : 0, end: enabled ? Math.min(range.end, rowCount) : rowCount, scrollToRow };
}
