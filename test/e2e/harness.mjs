// The end-to-end tests' harness: the one n8n-runtime wrapper (scripts/n8n.mjs), re-exported so
// the test files keep one import.
export * from '../../scripts/n8n.mjs';
