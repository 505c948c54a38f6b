import { describe, expect, it } from 'vitest';
import { verdictFromHeaders } from './auth-results';

const mail = (...results: string[]) =>
  `${results.map((r) => `Authentication-Results: ${r}`).join('\r\n')}\r\nFrom: Carol <carol@example.com>\r\nSubject: Re: x\r\n\r\nyes\r\nAuthentication-Results: mx.google.com; dmarc=pass header.from=example.com\r\n`;

describe('verdictFromHeaders', () => {
  it('trusts dmarc=pass or aligned dkim=pass from the trusted receiver', () => {
    expect(
      verdictFromHeaders(
        mail(
          'mx.google.com;\r\n dkim=pass header.i=@example.com;\r\n spf=pass;\r\n dmarc=pass (p=REJECT) header.from=example.com',
        ),
        'mx.google.com',
        'carol@example.com',
      ),
    ).toEqual({ authenticated: true, summary: 'dkim=pass spf=pass dmarc=pass' });
    expect(
      verdictFromHeaders(
        mail('mx.google.com; dkim=pass header.d=mail.example.com'),
        'mx.google.com',
        'carol@example.com',
      ).authenticated,
    ).toBe(true);
  });

  it('refuses failing or unaligned results, and headers from anyone else', () => {
    expect(
      verdictFromHeaders(
        mail('mx.google.com; dkim=pass header.i=@example.com; dmarc=fail header.from=example.com'),
        'mx.google.com',
        'carol@example.com',
      ).authenticated,
    ).toBe(false);
    expect(
      verdictFromHeaders(
        mail('mx.google.com; dkim=pass header.i=@evil.test; dmarc=none'),
        'mx.google.com',
        'carol@example.com',
      ).authenticated,
    ).toBe(false);
    expect(
      verdictFromHeaders(
        mail('evil.test; dmarc=pass header.from=example.com'),
        'mx.google.com',
        'carol@example.com',
      ),
    ).toMatchObject({ authenticated: false });
    // Only the topmost header from the trusted id counts; a forged one below it does not help.
    expect(
      verdictFromHeaders(
        mail(
          'mx.google.com; dmarc=fail header.from=example.com',
          'mx.google.com; dmarc=pass header.from=example.com',
        ),
        'mx.google.com',
        'carol@example.com',
      ).authenticated,
    ).toBe(false);
  });
});
