import { describe, expect, it } from 'vitest';
import { type DnsRecord, recordsResolver } from './dns-records';

const records: DnsRecord[] = [
  { name: 'local._domainkey.example.com', type: 'TXT', value: 'v=DKIM1; k=rsa; p=AAAA' },
  { name: 'example.com', type: 'TXT', value: 'v=spf1 ?all' },
  { name: '_dmarc.example.com', type: 'TXT', value: 'v=DMARC1; p=reject' },
];

describe('recordsResolver', () => {
  it('answers the published domains from the records and every other name from the fallback', async () => {
    const asked: string[] = [];
    const resolve = recordsResolver(records, async (name) => {
      asked.push(name);
      return [['fallback']];
    });
    expect(await resolve('LOCAL._domainkey.example.com.', 'txt')).toEqual([['v=DKIM1; k=rsa; p=AAAA']]);
    expect(await resolve('_dmarc.example.com', 'TXT')).toEqual([['v=DMARC1; p=reject']]);
    expect(await resolve('mail.example.org', 'TXT')).toEqual([['fallback']]);
    expect(asked).toEqual(['mail.example.org']);
  });

  it('says ENODATA for a name of a published domain without such a record', async () => {
    const resolve = recordsResolver(records, async () => [['never']]);
    await expect(resolve('other._domainkey.example.com', 'TXT')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(resolve('example.com', 'MX')).rejects.toMatchObject({ code: 'ENODATA' });
  });
});
