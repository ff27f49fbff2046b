/** Parameters of an `Authorization: Digest ...` header (values unquoted/unescaped). */
export type DigestCredentials = {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm?: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
  opaque?: string;
};

/** Longer headers are refused outright (Node's default limit for all headers is 16 KiB). */
const MAX_HEADER_LENGTH = 16_384;
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const WS = new Set([' ', '\t', '\r', '\n']);

/**
 * Parses an Authorization header value with the Digest scheme (RFC 7616 §3.4,
 * RFC 2617 §3.2.2), tolerating what real clients send: any case for scheme and
 * parameter names, any whitespace (also none or folded lines) around `=` and
 * `,`, quoted or unquoted values, backslash escapes in quoted strings and the
 * RFC 8187 `username*` form. Returns null for anything else; never throws.
 */
export function parseDigestAuthorization(header: string): DigestCredentials | null {
  if (typeof header !== 'string' || header.length > MAX_HEADER_LENGTH) return null;
  const params = parseParams(header);
  if (params === null) return null;

  let username = params.get('username');
  const extended = params.get('username*');
  if (extended !== undefined) {
    if (username !== undefined) return null; // RFC 7616 §3.4.4: MUST NOT send both
    const decoded = decodeExtValue(extended);
    if (decoded === null) return null;
    username = decoded;
  }
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  const uri = params.get('uri');
  const response = params.get('response');
  if (username === undefined || realm === undefined || nonce === undefined) return null;
  if (uri === undefined || response === undefined) return null;

  const creds: DigestCredentials = { username, realm, nonce, uri, response };
  for (const key of ['algorithm', 'qop', 'nc', 'cnonce', 'opaque'] as const) {
    const value = params.get(key);
    if (value !== undefined) creds[key] = value;
  }
  return creds;
}

/** Scheme + comma-separated auth-params → lower-cased name → value; null if malformed. */
function parseParams(header: string): Map<string, string> | null {
  const n = header.length;
  let i = 0;
  const skipWs = (): void => {
    while (i < n && WS.has(header[i])) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && TOKEN_CHAR.test(header[i])) i++;
    return header.slice(start, i);
  };

  skipWs();
  if (readToken().toLowerCase() !== 'digest') return null;
  if (i >= n || !WS.has(header[i])) return null; // scheme must be followed by whitespace

  const params = new Map<string, string>();
  for (;;) {
    // Empty list elements (", ,") are allowed by the #rule of RFC 9110 §5.6.1.
    while (i < n && (WS.has(header[i]) || header[i] === ',')) i++;
    if (i >= n) break;

    const name = readToken().toLowerCase();
    if (name === '') return null;
    // RFC 8187 names end with '*', which is also a token char; nothing to do.
    skipWs();
    if (header[i] !== '=') return null;
    i++;
    skipWs();

    let value: string;
    if (header[i] === '"') {
      i++;
      let out = '';
      let closed = false;
      while (i < n) {
        const ch = header[i++];
        if (ch === '"') {
          closed = true;
          break;
        }
        if (ch === '\\') {
          if (i >= n) return null;
          out += header[i++];
        } else {
          out += ch;
        }
      }
      if (!closed) return null;
      value = out;
    } else {
      const start = i;
      while (i < n && header[i] !== ',' && header[i] !== '"' && !WS.has(header[i])) i++;
      value = header.slice(start, i);
      if (value === '') return null;
    }

    if (params.has(name)) return null; // duplicated parameter
    params.set(name, value);

    skipWs();
    if (i < n && header[i] !== ',') return null; // garbage after a value
  }
  return params.size > 0 ? params : null;
}

/** RFC 8187 ext-value: charset'[language]'pct-encoded. UTF-8 and ISO-8859-1 only. */
function decodeExtValue(raw: string): string | null {
  const m = /^([A-Za-z0-9!#$%&+\-^_`{}~]+)'([A-Za-z0-9-]*)'(.*)$/.exec(raw);
  if (m === null) return null;
  const charset = m[1].toLowerCase();
  if (charset !== 'utf-8' && charset !== 'iso-8859-1') return null;

  const encoded = m[3];
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const ch = encoded[i];
    if (ch === '%') {
      const hex = encoded.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (/^[A-Za-z0-9!#$&+\-.^_`|~]$/.test(ch)) {
      bytes.push(ch.charCodeAt(0));
    } else {
      return null;
    }
  }
  try {
    const label = charset === 'utf-8' ? 'utf-8' : 'latin1';
    return new TextDecoder(label, { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    return null;
  }
}
