/** The realm MongoDB Atlas / Cloud Manager use for programmatic API keys. */
export const DIGEST_REALM = 'MMS Public API';

/**
 * The WWW-Authenticate value Atlas sends, byte for byte. Some clients (Go's
 * mongodb-forks/digest) split it on ", " and reject unknown parameters, so the
 * parameter set, order and separators must not change.
 */
export function digestChallenge(nonce: string, stale: boolean): string {
  return `Digest realm="${DIGEST_REALM}", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=${stale ? 'true' : 'false'}`;
}
