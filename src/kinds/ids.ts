// The registry side of the stored ids (src/ledger/ids.ts): the id shapes a kind adds, declared in
// its folder (src/kinds/<kind>/ids.ts, plain data with no imports). One entry per kind that has
// any, in each table. Imports only those data files, so the ledger layer can import it without a
// cycle (as ledger/types.ts does src/kinds/states.ts).
import { punchIds } from './punch/ids';
import { tieredIds } from './tiered/ids';

/** The tags of the kinds' lots of an event: `<eventId>:<tag>:<part>`, or with a count `<eventId>:<tag>:<part>:<n>`. */
export const KIND_EVENT_LOT_TAGS = [...punchIds.eventLotTags] as const;

/** The marks of the kinds' yearly lots, `<mark>:<year>`: keywords that lead an id, so an event id equal to one is escaped. */
export const KIND_YEARLY_LOT_MARKS = [...tieredIds.yearlyLotMarks] as const;
