/**
 * Errors that cross the plugin boundary. They carry a stable `code` so core can classify them
 * without `instanceof` across duplicated package copies.
 */
export class LoomError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  constructor(code: string, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "LoomError";
    this.code = code;
    this.hint = options?.hint;
  }
}

/** An accelerator cannot run on a backend; thrown by `bind()` before the run starts. */
export class AcceleratorUnsupportedError extends LoomError {
  readonly accelerator: string;
  readonly backend: string;
  readonly missing: readonly string[];
  constructor(accelerator: string, backend: string, missing: readonly string[], hint: string) {
    super(
      "ACCELERATOR_UNSUPPORTED",
      `accelerator ${accelerator} cannot run on backend ${backend}: missing ${missing.join(", ") || "support"}`,
      { hint },
    );
    this.name = "AcceleratorUnsupportedError";
    this.accelerator = accelerator;
    this.backend = backend;
    this.missing = missing;
  }
}

/**
 * A backend was handed a directive it does not declare it honours; the host throws this at bind
 * time, before any sample runs, whichever backend it is. `honouredBy` names the backends (installed
 * or first-party) that do honour it.
 */
export class DirectiveUnhonouredError extends LoomError {
  readonly backend: string;
  readonly directive: string;
  readonly honouredBy: readonly string[];
  constructor(backend: string, directive: string, honouredBy: readonly string[], hint?: string) {
    super("DIRECTIVE_UNHONOURED", `backend ${backend} does not honour directive ${directive}`, {
      hint:
        hint ??
        (honouredBy.length > 0
          ? `backends that honour ${directive}: ${honouredBy.join(", ")}`
          : `no installed backend honours ${directive}; install one whose plugin declares it in \`directives\`, or drop the accelerator`),
    });
    this.name = "DirectiveUnhonouredError";
    this.backend = backend;
    this.directive = directive;
    this.honouredBy = honouredBy;
  }
}

/**
 * A request to a model failed. `retryable` tells the runner to back off and try again
 * (429, 5xx, resets); `retryAfterMs` comes from Retry-After or rate-limit headers.
 */
export class BackendRequestError extends LoomError {
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    options: { status?: number; retryable: boolean; retryAfterMs?: number; cause?: unknown; hint?: string },
  ) {
    super("BACKEND_REQUEST", message, options);
    this.name = "BackendRequestError";
    this.status = options.status;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The engine cut the prompt without being asked (Ollama beyond num_ctx): the sample is an error, never a quiet score. */
export class SilentTruncationError extends LoomError {
  constructor(sent: number, processed: number, hint: string) {
    super("SILENT_TRUNCATION", `the engine processed ${processed} prompt tokens but ${sent} were sent`, { hint });
    this.name = "SilentTruncationError";
  }
}

export function isLoomError(error: unknown, code?: string): error is LoomError {
  if (!(error instanceof Error)) return false;
  const found = (error as Error & { code?: unknown }).code;
  return typeof found === "string" && (code === undefined || found === code);
}
