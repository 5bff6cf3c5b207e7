// A text field's draft: what the user has typed, kept apart from the committed value until it reads
// as valid. While it does not, the field keeps the text and reports the schema's messages; once it
// does, the value is committed (and any problem the commit itself finds is reported instead).
// When the committed value changes from elsewhere — undo, a loaded file, another view — a draft
// that no longer reads as that value is dropped, so the field never shows a stale value.
import { useCallback, useEffect, useRef, useState } from 'react';

export type DraftReading<Value> = { ok: true; value: Value } | { ok: false; messages: string[] };

export interface DraftField {
  /** What the field shows: the draft, or the committed value's text. */
  text: string;
  change(text: string): void;
  /** Drops the draft (Escape). */
  revert(): void;
}

export function useDraft<Value>(
  committedText: string,
  read: (text: string) => DraftReading<Value>,
  format: (value: Value) => string,
  commit: (value: Value) => string[],
  report: (messages: string[]) => void,
): DraftField {
  const [draft, setDraft] = useState<string | null>(null);
  const latest = useRef({ draft, read, format });
  latest.current = { draft, read, format };

  useEffect(() => {
    const { draft: current, read: readNow, format: formatNow } = latest.current;
    if (current === null) return;
    const reading = readNow(current);
    if (!reading.ok || formatNow(reading.value) !== committedText) {
      setDraft(null);
      report([]);
    }
    // Only a change of the committed value can make a draft stale.
  }, [committedText]);

  const change = useCallback(
    (text: string) => {
      setDraft(text);
      const reading = read(text);
      if (!reading.ok) return report(reading.messages);
      report(format(reading.value) === committedText ? [] : commit(reading.value));
    },
    [read, format, commit, report, committedText],
  );

  const revert = useCallback(() => {
    setDraft(null);
    report([]);
  }, [report]);

  return { text: draft ?? committedText, change, revert };
}
