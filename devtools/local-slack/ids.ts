import { randomBytes, randomInt } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A Slack-looking id such as `V04ABCDEF12`: a type prefix and uppercase alphanumerics. */
export function slackId(prefix: string, length = 10): string {
  let id = prefix;
  for (const byte of randomBytes(length)) id += ALPHANUMERIC.charAt(byte % ALPHANUMERIC.length);
  return id;
}

/** `1700000000.123456.9f86d0…`: the shape of Slack's trigger ids (seconds, digits, hex). */
export function triggerId(nowMs: number): string {
  return `${Math.floor(nowMs / 1000)}.${randomInt(1e9, 1e10)}.${randomBytes(16).toString('hex')}`;
}

export function isTs(value: string): boolean {
  return /^\d+\.\d+$/.test(value);
}

export function tsToMs(ts: string): number {
  return Math.floor(Number(ts) * 1000);
}

/**
 * Message timestamps are Slack's message keys: unique and increasing across the workspace even when
 * several messages land in the same millisecond (or a test freezes the clock), hence the counter.
 */
export class TsSource {
  private lastMicros = 0;

  constructor(private readonly now: () => number) {}

  next(): string {
    const micros = Math.max(Math.floor(this.now() * 1000), this.lastMicros + 1);
    this.lastMicros = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }
}
