// A persistent sorted sequence in chunks: a write copies the chunk directory (n / CHUNK pointers)
// and the chunks it touches (≤ 2 × CHUNK items each), never the whole sequence. The account
// state's lot indexes are built of these, so a write to an account with 1,000 open lots copies a
// few dozen pointers instead of 1,000 lots.

/** Items per chunk at split time; a chunk holds at most twice this. */
const CHUNK = 32;

/** Orders two items; 0 means the same item (the lists hold no two items that compare equal). */
export type Compare<T> = (a: T, b: T) => number;

/** An immutable sorted sequence. */
export interface ChunkList<T> {
  readonly chunks: readonly (readonly T[])[];
  readonly size: number;
}

/** The empty list. */
export const EMPTY_CHUNKS: ChunkList<never> = { chunks: [], size: 0 };

/** A list of `items`, which must be sorted already. */
export function chunksOf<T>(items: readonly T[]): ChunkList<T> {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) chunks.push(items.slice(i, i + CHUNK));
  return { chunks, size: items.length };
}

/** Where an item sits against a target: < 0 before it, 0 the target itself, > 0 after. */
export type Seek<T> = (item: T) => number;

/** The index of the first chunk whose last item is not before the target (chunks.length when none). */
function chunkFor<T>(chunks: readonly (readonly T[])[], seek: Seek<T>): number {
  let lo = 0;
  let hi = chunks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const chunk = chunks[mid] as readonly T[];
    if (seek(chunk[chunk.length - 1] as T) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the first item not before the target in a sorted array. */
function lowerBound<T>(items: readonly T[], seek: Seek<T>): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seek(items[mid] as T) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `chunkFor` against an item, by the list's order (no closure per call: this is the write path). */
function chunkOf<T>(chunks: readonly (readonly T[])[], probe: T, compare: Compare<T>): number {
  let lo = 0;
  let hi = chunks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const chunk = chunks[mid] as readonly T[];
    if (compare(chunk[chunk.length - 1] as T, probe) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `lowerBound` against an item, by the list's order. */
function placeOf<T>(items: readonly T[], probe: T, compare: Compare<T>): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(items[mid] as T, probe) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The item `seek` calls the target, or undefined. O(log n). */
export function findIn<T>(list: ChunkList<T>, seek: Seek<T>): T | undefined {
  const chunk = list.chunks[chunkFor(list.chunks, seek)];
  if (!chunk) return undefined;
  const item = chunk[lowerBound(chunk, seek)];
  return item !== undefined && seek(item) === 0 ? item : undefined;
}

/**
 * Calls `visit` on the items in order until it returns true (stop). The reads that stop early
 * (the next expiry, the lots a redemption draws) cost what they read, not the list's size.
 */
export function walk<T>(list: ChunkList<T>, visit: (item: T) => boolean | void): void {
  for (const chunk of list.chunks) for (const item of chunk) if (visit(item) === true) return;
}

/** The items in order, as one array. */
export function toArray<T>(list: ChunkList<T>): T[] {
  return list.chunks.length === 1 ? [...(list.chunks[0] as readonly T[])] : list.chunks.flat() as T[];
}

/**
 * A batch of changes to one list: the directory is copied once, each touched chunk once, however
 * many changes the batch makes. The source list is never modified.
 */
export class ChunkEditor<T> {
  readonly #compare: Compare<T>;
  #chunks: (readonly T[])[] | null = null;
  /** The chunks this batch copied (few: a linear search beats a Set's allocation). */
  #owned: (readonly T[])[] = [];
  #source: ChunkList<T>;
  #size: number;

  constructor(source: ChunkList<T>, compare: Compare<T>) {
    this.#source = source;
    this.#compare = compare;
    this.#size = source.size;
  }

  #dir(): (readonly T[])[] {
    this.#chunks ??= this.#source.chunks.slice();
    return this.#chunks;
  }

  /** The writable copy of chunk `c`. */
  #own(c: number): T[] {
    const dir = this.#dir();
    const chunk = dir[c] as readonly T[];
    if (this.#owned.includes(chunk)) return chunk as T[];
    const copy = chunk.slice();
    dir[c] = copy;
    this.#owned.push(copy);
    return copy;
  }

  /** Adds an item that compares unequal to every item present. */
  insert(item: T): void {
    const dir = this.#dir();
    this.#size += 1;
    if (dir.length === 0) {
      const first = [item];
      dir.push(first);
      this.#owned.push(first);
      return;
    }
    // Past the last item: into the last chunk.
    const c = Math.min(chunkOf(dir, item, this.#compare), dir.length - 1);
    const source = dir[c] as readonly T[];
    const at = placeOf(source, item, this.#compare);
    let chunk: T[];
    if (this.#owned.includes(source)) {
      chunk = source as T[];
      chunk.splice(at, 0, item);
    } else {
      // A copy of exactly the new length: a copy grown by `splice` keeps room for ~n/2 + 16 more
      // items, and the index keeps the chunk for as long as the account is not written again.
      chunk = source.slice(0, at).concat([item], source.slice(at));
      dir[c] = chunk;
      this.#owned.push(chunk);
    }
    if (chunk.length > 2 * CHUNK) {
      const right = chunk.splice(CHUNK);
      this.#owned.push(right);
      dir.splice(c + 1, 0, right);
    }
  }

  /** Removes the item that compares equal to `probe`; false when there is none. */
  remove(probe: T): boolean {
    const dir = this.#dir();
    const c = chunkOf(dir, probe, this.#compare);
    const found = dir[c];
    if (!found) return false;
    const i = placeOf(found, probe, this.#compare);
    const item = found[i];
    if (item === undefined || this.#compare(item, probe) !== 0) return false;
    const chunk = this.#own(c);
    chunk.splice(i, 1);
    this.#size -= 1;
    if (chunk.length === 0) dir.splice(c, 1);
    else this.#mergeSmall(c);
    return true;
  }

  /** Puts `item` in the place of the item that compares equal to it (same sort key). */
  replace(item: T): boolean {
    const dir = this.#dir();
    const c = chunkOf(dir, item, this.#compare);
    const found = dir[c];
    if (!found) return false;
    const i = placeOf(found, item, this.#compare);
    const old = found[i];
    if (old === undefined || this.#compare(old, item) !== 0) return false;
    this.#own(c)[i] = item;
    return true;
  }

  /** Keeps chunks from thinning out after many removals: a small chunk joins its right neighbour. */
  #mergeSmall(c: number): void {
    const dir = this.#dir();
    const chunk = dir[c] as readonly T[];
    const next = dir[c + 1];
    if (chunk.length >= CHUNK / 4 || next === undefined || chunk.length + next.length > CHUNK) return;
    const merged = [...chunk, ...next];
    this.#owned.push(merged);
    dir.splice(c, 2, merged);
  }

  /** The edited list (the source itself when nothing changed). */
  done(): ChunkList<T> {
    if (this.#chunks === null) return this.#source;
    const list = { chunks: this.#chunks, size: this.#size };
    // Later edits start from the result, copying again: the result must stay immutable.
    this.#source = list;
    this.#chunks = null;
    this.#owned = [];
    return list;
  }
}
