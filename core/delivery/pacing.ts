import type { Redis } from 'ioredis';
import type { DeliveryKeys } from './queue';

/**
 * Per-channel pacing. One Redis hash per channel holds `next` (the first unreserved send slot),
 * `last` (when the last send was let through) and `blocked` (until when Slack told us to wait).
 * A job asks once and gets a slot in line (so waiting jobs don't all wake and race every second);
 * at its slot it asks again holding the slot, and goes if `interval` has passed since the last
 * send and no 429 block is in force — otherwise it waits the remainder, keeping its place.
 * Times are Redis's clock; callers only see relative waits, so worker clocks don't matter.
 */
const PACE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local held = tonumber(ARGV[2])
local block = tonumber(ARGV[3])
local h = redis.call('HMGET', KEYS[1], 'next', 'last', 'blocked')
local nextFree = tonumber(h[1]) or 0
local last = tonumber(h[2]) or -interval
local blocked = tonumber(h[3]) or 0
if block > 0 then blocked = math.max(blocked, now + block) end
local slot, wait
if held then
  slot = held
  wait = math.max(held, last + interval, blocked) - now
else
  slot = math.max(now, nextFree, last + interval, blocked)
  nextFree = slot + interval
  wait = slot - now
end
if wait <= 0 then
  last = now
  wait = 0
end
redis.call('HSET', KEYS[1], 'next', nextFree, 'last', last, 'blocked', blocked)
redis.call('PEXPIRE', KEYS[1], math.max(nextFree, blocked, last + interval) - now + 60000)
return { wait, slot }
`;

export interface PaceDecision {
  /** 0: send now. Otherwise come back after this many ms, holding `slot`. */
  readonly waitMs: number;
  readonly slot: number;
}

export class ChannelPacer {
  constructor(
    private readonly redis: Redis,
    private readonly keys: DeliveryKeys,
    private readonly intervalMs: number,
  ) {}

  /** Asks to send now; `heldSlot` is the slot this job was given earlier, if any. */
  claim(channel: string, heldSlot?: number): Promise<PaceDecision> {
    return this.run(channel, heldSlot, 0);
  }

  /** Slack answered 429: nothing goes to the channel for `retryAfterMs`; returns a fresh slot after that. */
  block(channel: string, retryAfterMs: number): Promise<PaceDecision> {
    return this.run(channel, undefined, Math.max(1, Math.ceil(retryAfterMs)));
  }

  private async run(channel: string, heldSlot: number | undefined, blockMs: number): Promise<PaceDecision> {
    const [waitMs, slot] = (await this.redis.eval(
      PACE,
      1,
      this.keys.pace(channel),
      this.intervalMs,
      heldSlot ?? '',
      blockMs,
    )) as [number, number];
    return { waitMs, slot };
  }
}
