/**
 * The iteration order of a CPython 3.11 `set` of strings, for official code that iterates one
 * (LooGLE passes `set(words)` to nltk's METEOR, whose alignment depends on the order).
 *
 * CPython hashes a str with SipHash-1-3 over its compact representation (1, 2 or 4 bytes per code
 * point, chosen by the largest code point) keyed by the hash secret. `PYTHONHASHSEED=0` makes the
 * secret all zeros; `PYTHONHASHSEED=n` (n > 0) fills its 24 bytes from an LCG seeded with n; unset,
 * the secret is random per process, so such official numbers change from run to run.
 * The set is an open-addressing table (Objects/setobject.c): 8 slots to start, linear probes of 9
 * then perturbed jumps, growing to 4 x used when 5 x fill >= 3 x mask; iteration walks the table.
 */

const MASK64 = (1n << 64n) - 1n;

function rotl(x: bigint, b: bigint): bigint {
  return ((x << b) | (x >> (64n - b))) & MASK64;
}

export interface PyHashSecret {
  readonly k0: bigint;
  readonly k1: bigint;
}

/** The SipHash key CPython 3.11 derives from `PYTHONHASHSEED` (Python/bootstrap_hash.c). */
export function pyHashSecret(seed: number): PyHashSecret {
  if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295) throw new RangeError("PYTHONHASHSEED must be in [0, 4294967295]");
  const bytes = new Uint8Array(24);
  if (seed !== 0) {
    // lcg_urandom: x = x * 214013 + 2531011 (mod 2^32); byte = (x >> 16) & 0xff.
    let x = seed >>> 0;
    for (let i = 0; i < bytes.length; i++) {
      x = (Math.imul(x, 214013) + 2531011) >>> 0;
      bytes[i] = (x >>> 16) & 0xff;
    }
  }
  let k0 = 0n;
  let k1 = 0n;
  for (let i = 7; i >= 0; i--) k0 = (k0 << 8n) | BigInt(bytes[i] as number);
  for (let i = 15; i >= 8; i--) k1 = (k1 << 8n) | BigInt(bytes[i] as number);
  return { k0, k1 };
}

function siphash13(key: PyHashSecret, data: Uint8Array): bigint {
  let v0 = key.k0 ^ 0x736f6d6570736575n;
  let v1 = key.k1 ^ 0x646f72616e646f6dn;
  let v2 = key.k0 ^ 0x6c7967656e657261n;
  let v3 = key.k1 ^ 0x7465646279746573n;
  const round = (): void => {
    v0 = (v0 + v1) & MASK64;
    v2 = (v2 + v3) & MASK64;
    v1 = rotl(v1, 13n) ^ v0;
    v3 = rotl(v3, 16n) ^ v2;
    v0 = rotl(v0, 32n);
    v2 = (v2 + v1) & MASK64;
    v0 = (v0 + v3) & MASK64;
    v1 = rotl(v1, 17n) ^ v2;
    v3 = rotl(v3, 21n) ^ v0;
    v2 = rotl(v2, 32n);
  };
  const n = data.length;
  let off = 0;
  for (; n - off >= 8; off += 8) {
    let mi = 0n;
    for (let i = 7; i >= 0; i--) mi = (mi << 8n) | BigInt(data[off + i] as number);
    v3 ^= mi;
    round();
    v0 ^= mi;
  }
  let t = 0n;
  for (let i = n - off - 1; i >= 0; i--) t = (t << 8n) | BigInt(data[off + i] as number);
  const b = ((BigInt(n) << 56n) & MASK64) | t;
  v3 ^= b;
  round();
  v0 ^= b;
  v2 ^= 0xffn;
  round();
  round();
  round();
  return v0 ^ v1 ^ v2 ^ v3;
}

/** The bytes CPython hashes for a str: its code points at 1, 2 or 4 bytes each, little-endian. */
function compactBytes(text: string): Uint8Array {
  const cps: number[] = [];
  let max = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    cps.push(cp);
    if (cp > max) max = cp;
  }
  const width = max < 0x100 ? 1 : max < 0x10000 ? 2 : 4;
  const out = new Uint8Array(cps.length * width);
  cps.forEach((cp, i) => {
    for (let b = 0; b < width; b++) out[i * width + b] = (cp >>> (8 * b)) & 0xff;
  });
  return out;
}

/** `hash(text)` in CPython 3.11 (64-bit) under the given secret, as a signed 64-bit BigInt. */
export function pyStrHash(text: string, secret: PyHashSecret): bigint {
  if (text.length === 0) return 0n;
  const h = BigInt.asIntN(64, siphash13(secret, compactBytes(text)));
  return h === -1n ? -2n : h;
}

const LINEAR_PROBES = 9;
const PERTURB_SHIFT = 5n;

/**
 * `list(set(items))` for a list of str in CPython 3.11: the distinct items in the set's iteration
 * order. `seed` is the PYTHONHASHSEED of the official run (0: hash randomisation off).
 */
export function pySetOrder(items: Iterable<string>, seed = 0): string[] {
  const secret = pyHashSecret(seed);
  let mask = 7;
  let keys: (string | undefined)[] = new Array(8);
  let hashes: bigint[] = new Array(8).fill(0n);
  let fill = 0;
  const cache = new Map<string, bigint>();

  const insertClean = (tk: (string | undefined)[], th: bigint[], m: number, key: string, hash: bigint): void => {
    let perturb = BigInt.asUintN(64, hash);
    let i = Number(perturb & BigInt(m));
    for (;;) {
      if (tk[i] === undefined) {
        tk[i] = key;
        th[i] = hash;
        return;
      }
      if (i + LINEAR_PROBES <= m) {
        for (let j = 1; j <= LINEAR_PROBES; j++) {
          if (tk[i + j] === undefined) {
            tk[i + j] = key;
            th[i + j] = hash;
            return;
          }
        }
      }
      perturb >>= PERTURB_SHIFT;
      i = Number((BigInt(i) * 5n + 1n + perturb) & BigInt(m));
    }
  };

  const resize = (minused: number): void => {
    let size = 8;
    while (size <= minused) size <<= 1;
    const nk: (string | undefined)[] = new Array(size);
    const nh: bigint[] = new Array(size).fill(0n);
    for (let i = 0; i <= mask; i++) {
      const k = keys[i];
      if (k !== undefined) insertClean(nk, nh, size - 1, k, hashes[i] as bigint);
    }
    keys = nk;
    hashes = nh;
    mask = size - 1;
  };

  for (const key of items) {
    let hash = cache.get(key);
    if (hash === undefined) {
      hash = pyStrHash(key, secret);
      cache.set(key, hash);
    }
    let perturb = BigInt.asUintN(64, hash);
    let i = Number(perturb & BigInt(mask));
    let slot = -1;
    search: for (;;) {
      const probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
      for (let j = 0; j <= probes; j++) {
        const k = keys[i + j];
        if (k === undefined) {
          slot = i + j;
          break search;
        }
        if (hashes[i + j] === hash && k === key) break search; // already present
      }
      perturb >>= PERTURB_SHIFT;
      i = Number((BigInt(i) * 5n + 1n + perturb) & BigInt(mask));
    }
    if (slot < 0) continue;
    keys[slot] = key;
    hashes[slot] = hash;
    fill++;
    if (fill * 5 >= mask * 3) resize(fill > 50000 ? fill * 2 : fill * 4);
  }
  return keys.filter((k): k is string => k !== undefined);
}
