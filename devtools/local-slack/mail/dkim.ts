import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { type DNSResolver, dkimSign } from 'mailauth';
// The resolver is production code (the bot's inbound SMTP verifier trusts these records in dev);
// devtools may import production, never the other way round.
import { type DnsRecord, recordsResolver, systemResolver } from '../../../approvals/inbound/dns-records';

export { type DnsRecord, recordsResolver };

export interface LocalDkimOptions {
  /** The local users' mail domain. Default `example.com`. */
  domain?: string;
  /** Default `local`. */
  selector?: string;
  /** A PEM private key; default: a fresh 2048-bit RSA key. */
  privateKey?: string;
  /** Where other names resolve; default the system's DNS. */
  fallback?: DNSResolver;
}

/**
 * DKIM for the local users' domain: replies written in the inbox are signed like a real mail
 * provider would, and `resolver` answers the DNS questions a verifier asks (the DKIM key, a neutral
 * SPF record, a strict DMARC policy), so a reply from alice@example.com authenticates through its
 * aligned DKIM signature — and one forged on the same machine, unsigned or signed with another
 * key, does not.
 */
export class LocalDkim {
  readonly domain: string;
  readonly selector: string;
  readonly privateKey: string;
  readonly publicKey: string;
  private readonly fallback: DNSResolver;

  constructor(options: LocalDkimOptions = {}) {
    this.domain = (options.domain ?? 'example.com').toLowerCase();
    this.selector = options.selector ?? 'local';
    if (options.privateKey) {
      this.privateKey = options.privateKey;
      this.publicKey = publicPem(options.privateKey);
    } else {
      const pair = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      });
      this.privateKey = pair.privateKey;
      this.publicKey = pair.publicKey;
    }
    this.fallback = options.fallback ?? systemResolver;
  }

  /** The DNS records a real domain would publish for this key. */
  get records(): DnsRecord[] {
    const p = this.publicKey.replace(/-----[A-Z ]+-----|\s/g, '');
    return [
      { name: `${this.selector}._domainkey.${this.domain}`, type: 'TXT', value: `v=DKIM1; k=rsa; p=${p}` },
      { name: this.domain, type: 'TXT', value: 'v=spf1 ?all' },
      { name: `_dmarc.${this.domain}`, type: 'TXT', value: 'v=DMARC1; p=reject; adkim=s; aspf=r' },
    ];
  }

  /**
   * mailauth's `resolver` option: the local domain's records from memory, everything else from the
   * fallback. Pass it to `authenticate()` / the inbound SMTP server.
   */
  readonly resolver: DNSResolver = (name, rrtype) =>
    recordsResolver(this.records, this.fallback)(name, rrtype);

  /** The message with a `DKIM-Signature` header (d=<domain>, s=<selector>, relaxed/relaxed) prepended. */
  async sign(raw: Buffer | string): Promise<Buffer> {
    const message = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
    const result = await dkimSign(message, {
      canonicalization: 'relaxed/relaxed',
      signatureData: [{ signingDomain: this.domain, selector: this.selector, privateKey: this.privateKey }],
    } as Parameters<typeof dkimSign>[1]);
    const error = result.errors[0];
    if (error) throw error;
    return Buffer.concat([Buffer.from(result.signatures), message]);
  }
}

function publicPem(privateKey: string): string {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
}
