export { DIGEST_REALM, digestChallenge } from './challenge.ts';
export type { DigestCredentials } from './parse.ts';
export { parseDigestAuthorization } from './parse.ts';
export type { NonceService, NonceServiceOptions, NonceStatus } from './nonce.ts';
export { createNonceService } from './nonce.ts';
export type { MemoryNonceCountStoreOptions, NonceCountStore } from './nonce-counts.ts';
export { createMemoryNonceCountStore, MAX_COUNTS_PER_NONCE } from './nonce-counts.ts';
export type { DigestAlgorithm, DigestResult, VerifyDigestArgs } from './verify.ts';
export { digestHa1, digestHa1With, expectedDigestResponse, normalizeDigestAlgorithm, verifyDigest } from './verify.ts';
