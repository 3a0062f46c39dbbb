import { UnreachableError } from '../errors';
import type { KIND_EVENT_LOT_TAGS } from '../kinds/ids';
import { KIND_YEARLY_LOT_MARKS } from '../kinds/ids';

/**
 * The one place where ledger ids are built from their parts (event, request, rule, line ids,
 * and the parts of the kinds' own lots…). The kinds declare their id shapes in their folders
 * (`src/kinds/<kind>/ids.ts`, listed by `src/kinds/ids.ts`): tags of lots of an event, marks of
 * yearly lots; the ids are built here, the same way for every kind. Two different (kind, parts) tuples never give the same id:
 *
 * - every user-supplied part is encoded by {@link idPart} (`%` → `%25`, `:` → `%3A`, the empty
 *   string → `%00`), so a part never holds a bare `:` and splitting an id on `:` gives its parts
 *   back;
 * - an id is either led by a reserved keyword (`adjust`, `birthday`, `event`…) or by an encoded
 *   event id, and an event id that equals a keyword is escaped (its first letter percent-encoded,
 *   `adjust` → `%61djust`), so the two families never meet;
 * - within a family, each kind has its own keyword or number of parts: a kind's tag is none of
 *   the generic ones (`reward`, `reward-taken`), a kind's mark none of the keywords, and no two
 *   kinds share one (test/ledger/ids.test.ts).
 *
 * Ids made of plain parts (no `%`, no `:`, not a keyword) read as they always did: `p1:base`,
 * `adjust:r1`, `birthday:2027`.
 */

/** Keywords that lead an id; an event id equal to one is escaped where it leads an id. */
const KEYWORDS = ['adjust', 'birthday', 'event', 'tick', 'reward', 'redeem', 'reverse', 'cancel', 'hold', 'capture', 'release'] as const;
const RESERVED: ReadonlySet<string> = new Set<string>([...KEYWORDS, ...KIND_YEARLY_LOT_MARKS]);

/** A tag of a kind's lots of an event (`src/kinds/ids.ts`). */
export type KindLotTag = (typeof KIND_EVENT_LOT_TAGS)[number];
/** A mark of a kind's yearly lots (`src/kinds/ids.ts`). */
export type KindLotMark = (typeof KIND_YEARLY_LOT_MARKS)[number];

/**
 * Encodes one user-supplied part of an id: `%` and `:` are percent-encoded and the empty string
 * becomes `%00`, so a part never contains a bare `:` and different parts stay different.
 *
 * @example
 * ```ts
 * idPart('p1'); // 'p1'
 * idPart('a:b'); // 'a%3Ab'
 * idPart('50%'); // '50%25'
 * ```
 */
export function idPart(value: string): string {
  if (value === '') return '%00';
  // Most ids hold neither character: no regular expression to run, the same string back.
  if (value.indexOf('%') < 0 && value.indexOf(':') < 0) return value;
  return value.replace(/[%:]/g, (c) => (c === '%' ? '%25' : '%3A'));
}

/** An encoded part that leads an id: never equal to a keyword (its first letter is escaped). */
function leadPart(value: string): string {
  const part = idPart(value);
  return RESERVED.has(part) ? `%${part.charCodeAt(0).toString(16).toUpperCase()}${part.slice(1)}` : part;
}

/** What a lot id is built from: the kind of lot and its parts. */
export type LotIdParts =
  /** Points a rule awarded on an event: `<eventId>:<ruleId>`. */
  | { readonly kind: 'rule'; readonly eventId: string; readonly ruleId: string }
  /** The n-th spend-progress reward of an event: `<eventId>:reward:<n>`. */
  | { readonly kind: 'reward'; readonly eventId: string; readonly n: number }
  /** A reward lot a refund takes back but that was never found: `<eventId>:reward-taken:<n>`. */
  | { readonly kind: 'reward-taken'; readonly eventId: string; readonly n: number }
  /**
   * A kind's lot of an event under the kind's tag: `<eventId>:<tag>:<part>`, or with a count
   * `<eventId>:<tag>:<part>:<n>` (a punch card's punches, the credit of its n-th completion).
   */
  | { readonly kind: 'tagged'; readonly tag: KindLotTag; readonly eventId: string; readonly part: string; readonly n?: number }
  /** A manual credit: `adjust:<requestId>`. */
  | { readonly kind: 'adjust'; readonly requestId: string }
  /** The birthday bonus of a year: `birthday:<year>`. */
  | { readonly kind: 'birthday'; readonly year: number }
  /** A kind's yearly lot under the kind's mark: `<mark>:<year>` (a tier's birthday gift). */
  | { readonly kind: 'yearly'; readonly mark: KindLotMark; readonly year: number };

/**
 * The id of a lot, from its kind and parts (see {@link LotIdParts}); distinct tuples give distinct ids.
 *
 * @example
 * ```ts
 * lotId({ kind: 'rule', eventId: 'p1', ruleId: 'base' }); // 'p1:base'
 * lotId({ kind: 'adjust', requestId: 'base' }); // 'adjust:base'
 * lotId({ kind: 'rule', eventId: 'adjust', ruleId: 'base' }); // '%61djust:base'
 * ```
 */
export function lotId(of: LotIdParts): string {
  switch (of.kind) {
    case 'rule':
      return `${leadPart(of.eventId)}:${idPart(of.ruleId)}`;
    case 'reward':
    case 'reward-taken':
      return `${leadPart(of.eventId)}:${of.kind}:${wholeNumber(of.n)}`;
    case 'tagged': {
      const id = `${leadPart(of.eventId)}:${of.tag}:${idPart(of.part)}`;
      return of.n === undefined ? id : `${id}:${wholeNumber(of.n)}`;
    }
    case 'adjust':
      return `adjust:${idPart(of.requestId)}`;
    case 'birthday':
      return `birthday:${wholeNumber(of.year)}`;
    case 'yearly':
      return `${of.mark}:${wholeNumber(of.year)}`;
    default: {
      void (of satisfies never);
      throw new UnreachableError(of);
    }
  }
}

function wholeNumber(n: number): string {
  // A count or a year: anything else would be a programming error, and `String` of it could clash.
  if (!Number.isSafeInteger(n)) throw new RangeError(`${String(n)} is not a whole number`);
  return String(n);
}

/** The kinds of transaction a request or an event makes, each the keyword its id starts with. */
export type TransactionKind = 'event' | 'adjust' | 'reverse' | 'reward' | 'redeem' | 'cancel' | 'hold' | 'capture' | 'release';

/**
 * The id of a transaction: `<kind>:<event or request id>`. The id is kept whole (it is the last
 * and only user part, so nothing can follow it and blur where it ends), so every stored
 * transaction id reads as it always did; a tick's transaction is `tick:<ISO instant>`.
 *
 * @example
 * ```ts
 * transactionId('event', 'p1'); // 'event:p1'
 * transactionId('adjust', 'a:1'); // 'adjust:a:1'
 * ```
 */
export function transactionId(kind: TransactionKind, id: string): string {
  return `${kind}:${id}`;
}

/**
 * The id of a tick's transaction at `now`.
 *
 * @example
 * ```ts
 * tickId(new Date('2027-03-01T00:00:00Z')); // 'tick:2027-03-01T00:00:00.000Z'
 * ```
 */
export function tickId(now: Date): string {
  return `tick:${now.toISOString()}`;
}

/**
 * The prefix of the notifications an event or request makes: `<kind>:<encoded id>`; a tick's is
 * its transaction id (an ISO instant, no user part).
 *
 * @example
 * ```ts
 * noticePrefix('event', 'p1'); // 'event:p1'
 * noticePrefix('event', 'a:b'); // 'event:a%3Ab'
 * ```
 */
export function noticePrefix(kind: TransactionKind, id: string): string {
  return `${kind}:${idPart(id)}`;
}

/**
 * The id of a notification: its prefix (see {@link noticePrefix}, {@link tickId}), its type and
 * the parts that tell it from others of the same type, each encoded.
 *
 * @example
 * ```ts
 * noticeId('event:p1', 'points.earned'); // 'event:p1:points.earned'
 * noticeId('event:e1', 'punch.refused', 'night', 'l:1'); // 'event:e1:punch.refused:night:l%3A1'
 * ```
 */
export function noticeId(prefix: string, type: string, ...parts: readonly string[]): string {
  return [prefix, type, ...parts.map(idPart)].join(':');
}

/**
 * The id of a notification a tick makes: its transaction id, its type and a suffix the tick
 * derives from the clock or the ledger (a year, an instant), never from user input.
 *
 * @example
 * ```ts
 * tickNoticeId(new Date('2027-03-15T00:00:00Z'), 'birthday', '2027'); // 'tick:2027-03-15T00:00:00.000Z:birthday:2027'
 * ```
 */
export function tickNoticeId(now: Date, type: string, suffix: string): string {
  return `${tickId(now)}:${type}:${suffix}`;
}
