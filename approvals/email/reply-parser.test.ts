import { describe, expect, it } from 'vitest';
import { parseReply } from './reply-parser';

describe('parseReply', () => {
  it.each([
    ['approve', true],
    ['Approved', true],
    ['YES', true],
    ['lgtm!', true],
    ['reject', false],
    ['Rejected.', false],
    ['no', false],
    ['**Approve**', true],
    ['Approved.', true],
    ['Approve!', true],
  ])('reads %j', (line, approve) => {
    expect(parseReply(`${line}\n`)).toEqual({ approve });
  });

  it('keeps a comment on the same line and the lines after it', () => {
    expect(parseReply('Reject - wrong cost centre\nPlease use CC-42.\n')).toEqual({
      approve: false,
      comment: 'wrong cost centre\nPlease use CC-42.',
    });
    expect(parseReply('\n\n  yes - go ahead\n')).toEqual({ approve: true, comment: 'go ahead' });
    expect(parseReply('Reject — over budget')).toEqual({ approve: false, comment: 'over budget' });
    expect(parseReply('Approved. - fine by me')).toEqual({ approve: true, comment: 'fine by me' });
  });

  it('cuts Gmail quoted history, even when the attribution line is wrapped', () => {
    const gmail =
      'Approved\n\nOn Tue, 3 Mar 2026 at 10:00, Pantheon <pantheon@example.com>\nwrote:\n> Approval needed: Reject this?\n> no\n';
    expect(parseReply(gmail)).toEqual({ approve: true });
  });

  it('cuts Outlook headers, signatures and mobile footers', () => {
    const outlook =
      'reject: over budget\n\n________________________________\nFrom: Pantheon <pantheon@example.com>\nSent: Tuesday\nSubject: Approval needed\n\nApprove: https://x\n';
    expect(parseReply(outlook)).toEqual({ approve: false, comment: 'over budget' });
    expect(parseReply('lgtm\n-- \nCarol Chen\nFinance Lead\n')).toEqual({ approve: true });
    expect(parseReply('yes\n\nSent from my iPhone\n')).toEqual({ approve: true });
  });

  it.each([
    'approve?',
    'Approve ?',
    'yes, but only after the audit',
    'yes, go ahead',
    'I think I approve',
    'maybe',
    'not approve',
    'approve or reject?',
    'Approve-ish',
    'no idea',
    'Yes please',
  ])('reads no decision in the hedged %j', (line) => {
    expect(parseReply(`${line}\n`)).toBeUndefined();
  });

  it('finds no decision in anything else', () => {
    expect(parseReply('')).toBeUndefined();
    expect(parseReply('Maybe later?')).toBeUndefined();
    expect(parseReply('Nope')).toBeUndefined();
    expect(parseReply('noted, will look\n')).toBeUndefined();
    expect(parseReply('> approve\n')).toBeUndefined();
    expect(parseReply('On Mon, Bob wrote:\n> yes')).toBeUndefined();
  });
});
