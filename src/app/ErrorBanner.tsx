// The last error, verbatim (a ModelFileError reads "file.onnx: what is wrong"), until dismissed.
import { useModelStore } from '../stores/modelStore';

export function ErrorBanner() {
  const error = useModelStore((s) => s.error);
  const dismissError = useModelStore((s) => s.dismissError);
  if (!error) return null;
  return (
    <div className="error-banner" data-testid="error-banner" data-problem={error.problem} role="alert">
      <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden>
        <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.4" />
        <path d="M8 4.5v4.2M8 10.8v.6" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      </svg>
      <span className="error-message">{error.message}</span>
      <button type="button" className="button button-ghost" onClick={dismissError} aria-label="Dismiss error">
        Dismiss
      </button>
    </div>
  );
}
