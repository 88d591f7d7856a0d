// Moved to server/src/data/batched-model.ts (the data layer owns batching); this re-export keeps older imports
// working until they move into data/. Must never grow code of its own.
export * from '../data/batched-model.js';
