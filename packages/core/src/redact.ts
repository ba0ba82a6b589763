/**
 * Secrets never reach a run directory, a report or the terminal. A server may echo the API key in an
 * error body, a base URL may carry `user:password@`, a header may be quoted in a message: every text
 * that leaves the process through loomscope (error messages on records, log lines, the manifest)
 * goes through a redactor built from the environment.
 */
import type { JsonValue } from "@loomscope/spec";

/** Environment variables whose values are secrets. */
export const SECRET_ENV_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)/i;

/** Values shorter than this are not treated as secrets (they would redact ordinary words and numbers). */
const MIN_SECRET_LENGTH = 6;

export const REDACTED = "[redacted]";

export type Redactor = (text: string) => string;

/** `scheme://user:password@host` → `scheme://[redacted]@host`. */
export function stripUserinfo(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi, `$1${REDACTED}@`);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A redactor for the secret values of an environment: every variable named like a secret, plus the
 * variables named in `extraNames` (a backend's `apiKeyEnv`), plus bearer tokens and URL userinfo.
 */
export function createRedactor(env: Readonly<Record<string, string | undefined>>, extraNames: readonly string[] = []): Redactor {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= MIN_SECRET_LENGTH && SECRET_ENV_NAME.test(name)) values.add(value);
  }
  for (const name of extraNames) {
    const value = env[name];
    if (value && value.length >= MIN_SECRET_LENGTH) values.add(value);
  }
  // Longest first, so a secret that contains another is replaced whole.
  const sorted = [...values].sort((a, b) => b.length - a.length);
  const pattern = sorted.length > 0 ? new RegExp(sorted.map(escapeRegExp).join("|"), "g") : undefined;
  return (text: string): string => {
    let out = pattern ? text.replace(pattern, REDACTED) : text;
    out = out.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`);
    return stripUserinfo(out);
  };
}

/** Every string of a JSON value (keys too) through the redactor. */
export function redactJson<T extends JsonValue | object>(value: T, redact: Redactor): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, inner]) => [redact(k), walk(inner)]));
    return v;
  };
  return walk(value) as T;
}

/** Config keys and option names that hold credentials: refused in config and on the command line. */
export const SECRET_KEY =
  /(api[-_]?key|access[-_]?key|secret[-_]?key|private[-_]?key|secret|token|password|passwd|passphrase|authorization|auth|credentials?|bearer|cookie)$/i;

/** Keys that end like a credential and are not one: a tokenizer's special tokens. */
const NOT_SECRET_KEY = /(bos|eos|pad|unk|sep|cls|mask|stop|start|end|special)[-_]?token$/i;

/** Paths (`a.b.c`) of string values under keys that look like credentials. */
export function findSecretKeys(value: unknown, path: string[] = []): string[] {
  if (typeof value !== "object" || value === null) return [];
  const found: string[] = [];
  for (const [key, inner] of Object.entries(value)) {
    // `apiKeyEnv` and friends name a variable, they do not hold the secret.
    if (SECRET_KEY.test(key) && !NOT_SECRET_KEY.test(key) && (typeof inner === "string" || typeof inner === "number")) found.push([...path, key].join("."));
    found.push(...findSecretKeys(inner, [...path, key]));
  }
  return found;
}
