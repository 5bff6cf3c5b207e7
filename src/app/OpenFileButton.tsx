// The Open button: a hidden multi-file input, so a model can be opened together with its
// external-data files, or a .whittle.json pipeline (openStudioFiles tells them apart).
import { useRef, type ChangeEvent } from 'react';
import { openStudioFiles } from './openStudioFiles';

export function OpenFileButton() {
  const inputRef = useRef<HTMLInputElement>(null);
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    event.target.value = ''; // choosing the same file again must fire change again
    openStudioFiles(files);
  };
  return (
    <>
      <button type="button" className="button button-primary" onClick={() => inputRef.current?.click()}>
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden>
          <path d="M2 4.5A1.5 1.5 0 0 1 3.5 3h3l1.5 1.5h4.5A1.5 1.5 0 0 1 14 6v5.5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 11.5z" fill="none" stroke="currentColor" strokeWidth="1.4" />
        </svg>
        Open
      </button>
      <input
        ref={inputRef}
        type="file"
        multiple
        accept=".onnx,.json,.data,.bin,*"
        data-testid="open-file-input"
        className="visually-hidden"
        tabIndex={-1}
        onChange={onChange}
      />
    </>
  );
}
