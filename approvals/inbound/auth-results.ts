/**
 * Reads the Authentication-Results header a trusted receiver (Gmail: `mx.google.com`) put on a
 * message. Only the topmost header from that authserv-id counts: a sender can add their own below.
 */
export interface AuthVerdict {
  readonly authenticated: boolean;
  readonly summary: string;
}

/** Header fields of a raw RFC 5322 message, unfolded, in order. */
export function headerFields(raw: string): { name: string; value: string }[] {
  const end = raw.search(/\r?\n\r?\n/);
  const head = (end < 0 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  return head
    .split(/\r?\n/)
    .map((line) => /^([^:\s]+):\s*(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1]!.toLowerCase(), value: m[2]! }));
}

const aligned = (domain: string | undefined, fromDomain: string) =>
  Boolean(domain) &&
  (domain === fromDomain || domain!.endsWith(`.${fromDomain}`) || fromDomain.endsWith(`.${domain}`));

export function verdictFromHeaders(
  raw: string,
  authservId: string,
  fromAddress: string | undefined,
): AuthVerdict {
  const fromDomain = fromAddress?.split('@')[1]?.toLowerCase();
  const header = headerFields(raw).find(
    (h) =>
      h.name === 'authentication-results' &&
      h.value.split(';')[0]!.trim().toLowerCase() === authservId.toLowerCase(),
  );
  if (!header || !fromDomain)
    return {
      authenticated: false,
      summary: header ? 'no From address' : `no Authentication-Results from ${authservId}`,
    };
  const results = header.value
    .split(';')
    .slice(1)
    .map((part) => part.trim().toLowerCase());
  const dmarc = results.find((r) => r.startsWith('dmarc='));
  const dmarcPass =
    dmarc !== undefined &&
    /^dmarc=pass\b/.test(dmarc) &&
    aligned(/header\.from=([^\s;]+)/.exec(dmarc)?.[1], fromDomain);
  const dkimPass = results.some((r) => {
    if (!/^dkim=pass\b/.test(r)) return false;
    const domain = /header\.d=([^\s;]+)/.exec(r)?.[1] ?? /header\.i=[^@\s]*@([^\s;]+)/.exec(r)?.[1];
    return aligned(domain, fromDomain);
  });
  // DMARC failing is final even if some DKIM signature passed: the domain says reject.
  const dmarcFail = dmarc !== undefined && /^dmarc=(fail|quarantine|reject)\b/.test(dmarc);
  return {
    authenticated: dmarcPass || (!dmarcFail && dkimPass),
    summary: results
      .filter((r) => /^(dmarc|dkim|spf)=/.test(r))
      .map((r) => r.split(/\s/)[0])
      .join(' '),
  };
}
