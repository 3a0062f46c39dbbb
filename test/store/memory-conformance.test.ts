// The memory store passes the conformance kit that every store adapter runs (loyalty-engine/testing).
import { memoryStore } from '../../src';
import { runStoreConformance } from '../../src/testing';

runStoreConformance('memory', () => memoryStore());
