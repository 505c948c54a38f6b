import { authenticate } from 'mailauth';
import type { AuthenticateResult, DNSResolver } from 'mailauth';

/** Our own DKIM/SPF/DMARC verdict on a raw message, the same for every inbound path. */
export interface SenderVerdict {
  readonly authenticated: boolean;
  /** `dmarc=… dkim=…:domain spf=…`, for the audit. */
  readonly summary: string;
}

/** Authenticated when DMARC passes, or (no DMARC policy published) a DKIM signature of the From domain passes. */
export function isAuthenticated(result: AuthenticateResult, fromDomain: string | undefined): boolean {
  if (result.dmarc && result.dmarc.status.result === 'pass') return true;
  if (result.dmarc && result.dmarc.status.result !== 'none') return false;
  return (
    Boolean(fromDomain) &&
    result.dkim.results.some(
      (r) => r.status.result === 'pass' && r.signingDomain.toLowerCase() === fromDomain,
    )
  );
}

/**
 * Verifies a message with mailauth. SMTP knows the client (ip, helo, MAIL FROM) so SPF counts
 * too; a message fetched from a mailbox (Gmail) has no client we saw, so it rests on DKIM
 * (DMARC passes with an aligned DKIM signature alone).
 */
export async function verifySender(
  raw: Buffer,
  fromAddress: string | undefined,
  options: { mta: string; ip?: string; helo?: string; sender?: string; resolver?: DNSResolver },
): Promise<SenderVerdict> {
  const auth = await authenticate(raw, {
    ...(options.ip ? { ip: options.ip.replace(/^::ffff:/, '') } : {}),
    ...(options.helo ? { helo: options.helo } : {}),
    ...(options.sender !== undefined ? { sender: options.sender } : {}),
    mta: options.mta,
    disableArc: true,
    disableBimi: true,
    ...(options.resolver ? { resolver: options.resolver } : {}),
  });
  const fromDomain = fromAddress?.split('@')[1]?.toLowerCase();
  const dkim = auth.dkim.results.map((r) => `${r.status.result}:${r.signingDomain}`).join(',') || 'none';
  const spf = options.ip && auth.spf ? auth.spf.status.result : 'none';
  return {
    authenticated: isAuthenticated(auth, fromDomain),
    summary: `dmarc=${auth.dmarc ? auth.dmarc.status.result : 'none'} dkim=${dkim} spf=${spf}`,
  };
}
