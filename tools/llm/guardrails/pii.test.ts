import { describe, expect, it } from 'vitest';
import type { PiiKind } from '../models';
import { luhn, PiiVault, redactPii } from './pii';

const all = new Set<PiiKind>(['email', 'phone', 'card', 'secret']);
const redact = (text: string, kinds: ReadonlySet<PiiKind> = all) => {
  const vault = new PiiVault();
  return { text: redactPii(text, kinds, vault), vault };
};

describe('PII redaction', () => {
  it('replaces emails with numbered placeholders, the same value with the same one', () => {
    const { text, vault } = redact(
      'Mail ana@example.com or bob.smith+x@mail.example.co.uk, again ana@example.com',
    );
    expect(text).toBe('Mail [EMAIL_1] or [EMAIL_2], again [EMAIL_1]');
    expect(vault.counts()).toEqual({ email: 2 });
  });

  it('redacts card numbers only when the Luhn check passes', () => {
    expect(redact('card 4111 1111 1111 1111 ok').text).toBe('card [CARD_1] ok');
    expect(redact('card 4111-1111-1111-1111').text).toBe('card [CARD_1]');
    expect(redact('order 4111 1111 1111 1112').text).toBe('order 4111 1111 1111 1112');
    expect(luhn('79927398713')).toBe(false); // too short for a card
    expect(luhn('4012888888881881')).toBe(true);
  });

  it('redacts phone numbers but not dates, amounts or IP addresses', () => {
    expect(redact('Call +1 (415) 555-0100 or 020 7946 0958 or +442079460958.').text).toBe(
      'Call [PHONE_1] or [PHONE_2] or [PHONE_3].',
    );
    const untouched = 'Due 2024-01-15, total 1 250.00, host 192.168.100.200, invoice 12345';
    expect(redact(untouched).text).toBe(untouched);
  });

  it('redacts API-key-like secrets and key=value credentials, keeping the key name', () => {
    const { text } = redact(
      'keys: sk-proj-abcdefghijklmnopqrstuvwxyz012345 xoxb-1234567890-abcdefghij AKIAIOSFODNN7EXAMPLE ghp_abcdefghijklmnopqrstuvwxyz0123456789 password=hunter2hunter2 Authorization: Bearer abcdefghijklmnop1234',
    );
    expect(text).toBe(
      'keys: [SECRET_1] [SECRET_2] [SECRET_3] [SECRET_4] password=[SECRET_6] Authorization: Bearer [SECRET_5]',
    );
  });

  it('only redacts the configured kinds', () => {
    expect(redact('ana@example.com 4111 1111 1111 1111', new Set(['card'])).text).toBe(
      'ana@example.com [CARD_1]',
    );
  });

  it('restores only placeholders it issued, of the kinds allowed', () => {
    const { text, vault } = redact('ana@example.com, 4111 1111 1111 1111');
    expect(text).toBe('[EMAIL_1], [CARD_1]');
    const answer = 'Wrote to [EMAIL_1] about [CARD_1]; [EMAIL_7] is made up';
    expect(vault.restore(answer, new Set(['email']))).toBe(
      'Wrote to ana@example.com about [CARD_1]; [EMAIL_7] is made up',
    );
  });
});
