// Reward codes: deterministic text from ids, with no randomness. Below the catalog and the kinds
// (punch cards issue codes too), so both can use it.

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function fnv1a(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * A reward code that depends only on the program, the reward and the request id: the same request
 * always yields the same code, with no randomness (Crockford base32, 12 characters).
 *
 * @example
 * ```ts
 * rewardCode('rewards', 'free-coffee', 'req-1', 'CAFE'); // 'CAFE-…' (always the same)
 * ```
 */
export function rewardCode(programId: string, rewardId: string, requestId: string, prefix?: string): string {
  const text = `${programId}\u0000${rewardId}\u0000${requestId}`;
  let bits = (BigInt(fnv1a(text, 0x811c9dc5)) << 32n) | BigInt(fnv1a(text, 0x9747b28c));
  let code = '';
  for (let i = 0; i < 12; i++) {
    code = (CROCKFORD[Number(bits & 31n)] ?? '0') + code;
    bits >>= 5n;
  }
  return prefix ? `${prefix}-${code}` : code;
}
