// SHA-256 (FIPS 180-4) of a string's UTF-8 bytes, in plain TypeScript: the core imports no
// `node:crypto`, and Web Crypto's digest is asynchronous and slower for a kilobyte. Used for the
// idempotency fingerprint, so a stored record keeps 71 characters instead of the whole canonical
// text. test/service/fingerprint.test.ts checks it against node:crypto.
//
// It runs once per event, so it allocates little besides its answer: text is fed a piece at a
// time (ASCII, the common case, by a plain loop; anything else through `TextEncoder`) straight
// into the 16 words of the block being filled, each full block mixed in at once with a rolling
// 16-word message schedule. Both arrays are 64 bytes or less, so V8 keeps them on its heap: no
// backing store outside it for the collector to track per event.

/** The first 64 primes (2 … 311). */
function firstPrimes(count: number): number[] {
  const primes: number[] = [];
  for (let n = 2; primes.length < count; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  return primes;
}

/** The first 32 bits of the fractional part of `x` (exact here: a double keeps 50+ fraction bits of these roots). */
const fraction32 = (x: number): number => ((x - Math.floor(x)) * 0x1_0000_0000) >>> 0;

// Derived as FIPS 180-4 defines them, rather than spelt out: the bundle carries 8 lines, not 72 numbers.
// The test against node:crypto checks every one of them.
const PRIMES = firstPrimes(64);
/** The first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = Int32Array.from(PRIMES, (p) => fraction32(Math.cbrt(p)) | 0);
/** The first 32 bits of the fractional parts of the square roots of the first 8 primes. */
const H0 = Int32Array.from(PRIMES.slice(0, 8), (p) => fraction32(Math.sqrt(p)) | 0);

const HEX_DIGITS = '0123456789abcdef';
const encoder = new TextEncoder();

/**
 * One digest in progress. Its buffers are its own (no module-level state: the core keeps none, and
 * a digest started inside another's `write` cannot disturb it).
 */
class Digest {
  /**
   * The block being filled, as 16 big-endian words: each byte is shifted in at the low end, so a
   * word holds its four bytes once they are all in (what it held before is shifted out). The
   * rounds then reuse it as the rolling message schedule.
   */
  private readonly w = new Int32Array(16);
  /** How many bytes of the block are written. */
  private filled = 0;
  /** Bytes hashed so far. */
  private total = 0;
  private readonly h = Int32Array.from(H0);

  /** Adds one byte; a full block is mixed in at once. */
  private put(byte: number): void {
    const i = this.filled >> 2;
    this.w[i] = ((this.w[i] as number) << 8) | byte;
    if (++this.filled === 64) {
      mix(this.w, this.h);
      this.filled = 0;
    }
  }

  /**
   * Adds a text's UTF-8 bytes: ASCII (the common case) one code unit at a time, anything else
   * through `TextEncoder`. A text must not end inside a surrogate pair that the next one completes
   * (each text is encoded alone); JSON texts never do, their lone surrogates are escaped.
   */
  readonly update = (text: string): void => {
    const w = this.w;
    let f = this.filled;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) {
        this.filled = f;
        this.total += i;
        const bytes = encoder.encode(text.slice(i));
        for (const b of bytes) this.put(b);
        this.total += bytes.length;
        return;
      }
      w[f >> 2] = ((w[f >> 2] as number) << 8) | code;
      if (++f === 64) {
        mix(w, this.h);
        f = 0;
      }
    }
    this.filled = f;
    this.total += text.length;
  };

  /**
   * Pads the message (a 1 bit, zeros, the bit length big-endian) and gives `prefix` followed by
   * the digest in hex, as one flat string (built by `+=`, it would be a tree of string pieces, and
   * the fingerprint is kept in every processed record).
   */
  finish(prefix: string): string {
    const bits = this.total * 8;
    this.put(0x80);
    while (this.filled !== 56) this.put(0);
    const high = Math.floor(bits / 0x1_0000_0000);
    const low = bits >>> 0;
    for (let i = 24; i >= 0; i -= 8) this.put((high >>> i) & 0xff);
    for (let i = 24; i >= 0; i -= 8) this.put((low >>> i) & 0xff);
    const h = this.h;
    // The codes in one array made at its final length (grown by `push`, it would be copied as it grows).
    const codes = new Array<number>(prefix.length + 64).fill(0);
    for (let i = 0; i < prefix.length; i++) codes[i] = prefix.charCodeAt(i);
    for (let i = 0; i < 64; i++) codes[prefix.length + i] = HEX_DIGITS.charCodeAt(((h[i >> 3] as number) >>> (28 - 4 * (i & 7))) & 0xf);
    return String.fromCharCode(...codes);
  }
}

/**
 * Mixes the 64-byte block in `w` (16 big-endian words) into the state `h`: 64 rounds, the message
 * schedule computed in place in `w` 16 words ahead of its use. Every sum is cut back to 32 bits as
 * it is made (`| 0`), so V8 keeps the arithmetic in small integers. Indexes are in range: the casts
 * only tell the compiler so.
 */
function mix(w: Int32Array, h: Int32Array): void {
  let a = h[0] as number, b = h[1] as number, c = h[2] as number, d = h[3] as number;
  let e = h[4] as number, f = h[5] as number, g = h[6] as number, k = h[7] as number;
  for (let t = 0; t < 64; t++) {
    let wt: number;
    if (t < 16) wt = w[t] as number;
    else {
      const x = w[(t - 15) & 15] as number;
      const y = w[(t - 2) & 15] as number;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      wt = (((s1 + (w[(t - 7) & 15] as number)) | 0) + ((s0 + (w[t & 15] as number)) | 0)) | 0;
      w[t & 15] = wt;
    }
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (((((s1 + ((e & f) ^ (~e & g))) | 0) + k) | 0) + (((K[t] as number) + wt) | 0)) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    k = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = ((h[0] as number) + a) | 0;
  h[1] = ((h[1] as number) + b) | 0;
  h[2] = ((h[2] as number) + c) | 0;
  h[3] = ((h[3] as number) + d) | 0;
  h[4] = ((h[4] as number) + e) | 0;
  h[5] = ((h[5] as number) + f) | 0;
  h[6] = ((h[6] as number) + g) | 0;
  h[7] = ((h[7] as number) + k) | 0;
}

/**
 * The SHA-256 digest of `text` (UTF-8), as 64 lower-case hex digits.
 *
 * @example
 * ```ts
 * sha256Hex('abc'); // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 * ```
 */
export function sha256Hex(text: string): string {
  return sha256OfPieces((add) => add(text));
}

/**
 * The SHA-256 digest (hex) of the concatenation of the texts `write` hands to `add`, without
 * building it: the fingerprint writes its canonical text piece by piece straight into the hash.
 * Each piece must be whole UTF-8 on its own (no surrogate pair split between two pieces).
 * `prefix` comes before the hex digits in the one flat string returned (the fingerprint's tag).
 *
 * @example
 * ```ts
 * sha256OfPieces((add) => { add('a'); add('bc'); }) === sha256Hex('abc'); // true
 * ```
 */
export function sha256OfPieces(write: (add: (piece: string) => void) => void, prefix = ''): string {
  const digest = new Digest();
  write(digest.update);
  return digest.finish(prefix);
}
