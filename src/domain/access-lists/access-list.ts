import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** Whose access list: an API key or a service account (each has its own, as in Atlas). */
export interface AccessListOwner {
  readonly kind: 'apiKey' | 'serviceAccount';
  readonly id: string;
}

export interface AccessListEntry {
  readonly id: string;
  /** Always stored as a CIDR block: a single address is `/32` (IPv4) or `/128` (IPv6). */
  readonly cidrBlock: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly lastUsedAddress: string | null;
  readonly requestCount: number;
}

/** `::ffff:1.2.3.4` (an IPv4 client on a dual-stack socket) is the IPv4 address it carries. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address.toLowerCase();
}

/** Parses `1.2.3.4`, `1.2.3.0/24`, `2001:db8::1`, `2001:db8::/32` into a canonical CIDR, or null. */
export function parseCidr(
  text: string,
): { address: string; prefix: number; family: 'ipv4' | 'ipv6'; cidr: string } | null {
  const [rawAddress, rawPrefix, extra] = text.replace(/%2f/i, '/').split('/');
  if (extra !== undefined) return null;
  const given = normalizeAddress(rawAddress);
  const family = isIPv4(given) ? 'ipv4' : isIPv6(given) && !given.includes('%') ? 'ipv6' : null;
  if (!family) return null;
  // IPv6 in its canonical (RFC 5952) form, so `0:0:0:0:0:0:0:1` and `::1` are one entry.
  const address = family === 'ipv6' ? new URL(`http://[${given}]/`).hostname.slice(1, -1) : given;
  const max = family === 'ipv4' ? 32 : 128;
  const prefix = rawPrefix === undefined ? max : /^\d{1,3}$/.test(rawPrefix) ? Number(rawPrefix) : Number.NaN;
  if (!(prefix >= 0 && prefix <= max)) return null;
  return { address, prefix, family, cidr: `${address}/${prefix}` };
}

/** The entry that lets `address` in, or undefined. */
export function matchingEntry(entries: readonly AccessListEntry[], address: string): AccessListEntry | undefined {
  const ip = normalizeAddress(address);
  const family = isIPv4(ip) ? 'ipv4' : isIPv6(ip) ? 'ipv6' : null;
  if (!family) return undefined;
  return entries.find((e) => {
    const c = parseCidr(e.cidrBlock);
    if (!c || c.family !== family) return false;
    const list = new BlockList();
    list.addSubnet(c.address, c.prefix, c.family);
    return list.check(ip, family);
  });
}
