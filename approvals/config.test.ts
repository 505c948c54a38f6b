import { describe, expect, it } from 'vitest';
import { actionHash } from './action-hash';
import { loadApprovalsConfig } from './config';
import { mrkdwnToText } from './email/render';
import { parseTokenKeys } from './email/tokens';

describe('approvals settings', () => {
  it('has email-friendly defaults and parses reminder durations', () => {
    const config = loadApprovalsConfig({});
    expect(config.APPROVAL_REMINDERS).toEqual([3_600_000]);
    expect(config.GMAIL_ROOT_URL).toBe('https://gmail.googleapis.com/');
    expect(loadApprovalsConfig({ APPROVAL_REMINDERS: '4h, 30m' }).APPROVAL_REMINDERS).toEqual([
      14_400_000, 1_800_000,
    ]);
    expect(loadApprovalsConfig({ APPROVAL_REMINDERS: 'none' }).APPROVAL_REMINDERS).toEqual([]);
  });

  it('names the bad variable without echoing a secret', () => {
    expect(() => loadApprovalsConfig({ APPROVAL_TOKEN_KEYS: 'k1:short' })).toThrow(
      /^APPROVAL_TOKEN_KEYS must be .*\(got an invalid value\)$/,
    );
    expect(() => loadApprovalsConfig({ APPROVAL_REMINDERS: 'soon' })).toThrow(/APPROVAL_REMINDERS/);
  });

  it('signs with the first key unless another is chosen; older keys stay for verification', () => {
    expect(parseTokenKeys('k2:0123456789abcdef0,k1:0123456789abcdef1').active).toBe('k2');
    expect(parseTokenKeys('k2:0123456789abcdef0,k1:0123456789abcdef1', 'k1').keys.size).toBe(2);
    expect(() => parseTokenKeys(undefined)).toThrow(/APPROVAL_TOKEN_KEYS/);
  });
});

describe('helpers', () => {
  it('hashes action arguments canonically', () => {
    expect(actionHash({ name: 'pay', args: { a: 1, b: { c: 2, d: 3 } } })).toBe(
      actionHash({ name: 'pay', args: { b: { d: 3, c: 2 }, a: 1 } }),
    );
    expect(actionHash({ name: 'pay', args: { a: 1 } })).not.toBe(actionHash({ name: 'pay', args: { a: 2 } }));
  });

  it('turns Slack mrkdwn into plain text for email', () => {
    expect(mrkdwnToText('Pay *Acme* via <https://x.test|the portal>, cc <@U1>')).toBe(
      'Pay Acme via the portal (https://x.test), cc @U1',
    );
  });
});
