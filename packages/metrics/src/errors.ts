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

/** The error json.loads, float(), `in` or a text-mode read raises, with Python's exception type and message. */
export class PyValueError extends Error {
  constructor(
    message: string,
    readonly pythonType: "JSONDecodeError" | "ValueError" | "TypeError" | "OverflowError" | "RecursionError" | "UnicodeDecodeError",
  ) {
    super(message);
    this.name = "PyValueError";
  }
}
