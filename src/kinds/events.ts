// The registry side of the customer event union (src/schema/events.ts) and of the fast event
// parser (src/schema/fast/event.ts): the events a kind adds to the built-in ones, declared in its
// folder (src/kinds/<kind>/events.ts). One entry per kind in each table, in the union's order
// (after the built-in events). Imports only the kinds' events files, so the schema layer can
// import it without a cycle (as it does src/kinds/configs.ts).
import type { FastEventReader } from '../schema/event-parts';
import { paidEvents } from './paid/events';

/** The kinds' event schemas, members of `eventSchema`'s union after the built-in events. */
export const KIND_EVENT_SCHEMAS = [...paidEvents.schemas] as const;

/** Their `type`s, in the same order (`EVENT_TYPES` after the built-in types). */
export const KIND_EVENT_TYPES = [...paidEvents.types] as const;

/** The fast parser's entries for the kinds' event types without money amounts, by type. */
export const KIND_FAST_EVENTS: Readonly<Record<string, FastEventReader>> = { ...paidEvents.fast };
