// The memory store passes the conformance kit that every store adapter runs (loyalty-engine/testing).
import { memoryStore } from '../../src';
import type { Store } from '../../src';
import { runStoreConformance } from '../../src/testing';

runStoreConformance('memory', () => memoryStore());

// The memory store has no tenants of its own: one memory store per tenant id stands in for a
// database shared by tenants, so the tenant check runs too (same id, same store).
const tenants = new Map<string, Store>();
runStoreConformance('memory, one store per tenant', () => memoryStore(), {
  tenants: (tenantId) => tenants.get(tenantId) ?? tenants.set(tenantId, memoryStore()).get(tenantId) ?? memoryStore(),
});
