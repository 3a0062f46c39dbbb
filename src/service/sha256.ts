// SHA-256 (FIPS 180-4) of a string's UTF-8 bytes, in plain TypeScript: the core imports no
// `node:crypto`, and Web Crypto's digest is asynchronous and slower for a kilobyte. Used for the
// idempotency fingerprint, so a stored record keeps 71 characters instead of the whole canonical
// text. test/service/fingerprint.test.ts checks it against node:crypto.

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
const K = Uint32Array.from(PRIMES, (p) => fraction32(Math.cbrt(p)));
/** The first 32 bits of the fractional parts of the square roots of the first 8 primes. */
const H0 = Uint32Array.from(PRIMES.slice(0, 8), (p) => fraction32(Math.sqrt(p)));

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** The message padded to whole 64-byte blocks: a 1 bit, zeros, and the bit length (big-endian). */
function padded(text: string): DataView {
  const bytes = new TextEncoder().encode(text);
  const length = Math.ceil((bytes.length + 9) / 64) * 64;
  const buffer = new Uint8Array(length);
  buffer.set(bytes);
  buffer[bytes.length] = 0x80;
  const view = new DataView(buffer.buffer);
  const bits = bytes.length * 8;
  view.setUint32(length - 8, Math.floor(bits / 0x1_0000_0000));
  view.setUint32(length - 4, bits >>> 0);
  return view;
}

/** Mixes one 64-byte block into the state `h`. */
function compress(h: Uint32Array, w: Uint32Array, view: DataView, offset: number): void {
  for (let t = 0; t < 16; t++) w[t] = view.getUint32(offset + t * 4);
  for (let t = 16; t < 64; t++) {
    const a = w[t - 15] ?? 0;
    const b = w[t - 2] ?? 0;
    const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
    const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
    w[t] = ((w[t - 16] ?? 0) + s0 + (w[t - 7] ?? 0) + s1) | 0;
  }
  let [a, b, c, d, e, f, g, k] = [h[0] ?? 0, h[1] ?? 0, h[2] ?? 0, h[3] ?? 0, h[4] ?? 0, h[5] ?? 0, h[6] ?? 0, h[7] ?? 0];
  for (let t = 0; t < 64; t++) {
    const t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + (K[t] ?? 0) + (w[t] ?? 0)) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    k = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  const out = [a, b, c, d, e, f, g, k];
  for (let i = 0; i < 8; i++) h[i] = ((h[i] ?? 0) + (out[i] ?? 0)) | 0;
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
  const view = padded(text);
  const h = new Uint32Array(H0);
  const w = new Uint32Array(64);
  for (let offset = 0; offset < view.byteLength; offset += 64) compress(h, w, view, offset);
  let hex = '';
  for (const word of h) hex += word.toString(16).padStart(8, '0');
  return hex;
}
