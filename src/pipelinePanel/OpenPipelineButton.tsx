// "Open pipeline…": a hidden file input for a .whittle.json (or any .json) pipeline file, loaded
// through pipelineStore.loadFile (restorePipeline); a bad file shows its messages in the panel.
import { useRef, type ChangeEvent } from 'react';
import { usePipelineStore } from '../stores/pipelineStore';

export function OpenPipelineButton() {
  const inputRef = useRef<HTMLInputElement>(null);
  const loadFile = usePipelineStore((s) => s.loadFile);
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = ''; // choosing the same file again must fire change again
    if (file) void loadFile(file);
  };
  return (
    <>
      <button type="button" className="button" onClick={() => inputRef.current?.click()} title="Open a saved pipeline (.whittle.json)">
        Open…
      </button>
      <input
        ref={inputRef}
        type="file"
        accept=".json,application/json"
        data-testid="open-pipeline-input"
        className="visually-hidden"
        tabIndex={-1}
        onChange={onChange}
      />
    </>
  );
}
