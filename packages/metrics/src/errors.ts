/**
 * The official scorer raised instead of returning a score. We throw too, rather than invent a
 * number: e.g. LV-Eval's keyword gate divides by the number of answer-keyword tokens, so an
 * `answer_keywords` that normalises to nothing makes `evaluation.py` stop with ZeroDivisionError.
 * `code` is "SCORING" so hosts classify it like any LoomError without importing this class.
 */
export class OfficialScorerError extends Error {
  readonly code = "SCORING";
  /** The Python exception the official code raises at this point. */
  readonly pythonError: string;
  constructor(pythonError: string, message: string) {
    super(`${message} (the official scorer raises ${pythonError} here)`);
    this.name = "OfficialScorerError";
    this.pythonError = pythonError;
  }
}

/**
 * An exception Python (a builtin or a library we port) raises at this point: `pythonError` is its
 * class name (ValueError, TypeError, JSONDecodeError, SyntaxError, UnicodeDecodeError, ...), the
 * message Python's `str(exc)` or close to it. Scorers that let it escape are where the official
 * code crashes; plugins report it as an `OfficialScorerError` or skip the sample as the official
 * code's `except` does.
 */
export class PythonError extends Error {
  constructor(
    readonly pythonError: string,
    message: string,
  ) {
    super(`${pythonError}: ${message}`);
    this.name = "PythonError";
  }
}
