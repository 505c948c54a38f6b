import { promises as dns } from 'node:dns';
import type { DNSResolver } from 'mailauth';

/** A published DNS record (DKIM key, SPF, DMARC) of a mail domain. */
export interface DnsRecord {
  name: string;
  type: 'TXT';
  value: string;
}

function noData(name: string, rrtype: string): Error {
  return Object.assign(new Error(`queryTxt ENODATA ${name} (${rrtype})`), {
    code: 'ENODATA',
    hostname: name,
  });
}

/** The system's DNS, as a mailauth resolver. */
export const systemResolver: DNSResolver = (name, rrtype) =>
  dns.resolve(name, rrtype) as Promise<string[][] | string[]>;

/**
 * A mailauth `resolver` answering from published records (public data only: what another process,
 * e.g. the local workspace of `npm run dev`, hands the bot's inbound SMTP server through
 * `LOCAL_MAIL_DNS_RECORDS`) for their domains, and from `fallback` (default: system DNS) for every
 * other name. A name of those domains without a record of the asked type is ENODATA, as DNS says.
 */
export function recordsResolver(records: readonly DnsRecord[], fallback?: DNSResolver): DNSResolver {
  const domains = new Set(
    records.map((r) => r.name.replace(/^.*\._domainkey\.|^_dmarc\./, '').toLowerCase()),
  );
  const next = fallback ?? systemResolver;
  return async (name, rrtype) => {
    const host = name.toLowerCase().replace(/\.$/, '');
    const type = rrtype.toUpperCase();
    const ours = [...domains].some((d) => host === d || host.endsWith(`.${d}`));
    if (!ours) return next(name, rrtype);
    const found = records.filter((r) => r.name.toLowerCase() === host && r.type === type);
    if (found.length === 0) throw noData(name, rrtype);
    return found.map((r) => [r.value]);
  };
}
