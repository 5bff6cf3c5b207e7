// The error evaluation throws when a model and a dataset cannot be evaluated together: the message
// says what the model expects and what the data has, so a user can pick the right file. Bugs stay
// ordinary errors; cancellation is a DOMException named 'AbortError', as fetch and streams use.

export class EvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationError';
  }
}

/** What a cancelled evaluation throws: `error.name === 'AbortError'`, like fetch. */
export function evaluationCancelled(): DOMException {
  return new DOMException('evaluation cancelled', 'AbortError');
}
