import type { Redis } from 'ioredis';
import type { DeliveryKeys } from './queue';

/**
 * Per-channel pacing. One Redis hash per channel holds `next` (the first unreserved send slot),
 * `last` (when the last send was let through) and `blocked` (until when Slack told us to wait).
 * A job asks once and is given a slot in line (so waiting jobs don't all wake and race every
 * second), kept in a holder hash; at its slot it asks again and goes if `interval` has passed since
 * the last send and no 429 block is in force, otherwise waits the remainder, keeping its place.
 * Debounced updates share their debounce key's hash as holder, so a newer update takes over the
 * older one's place in line instead of queueing behind it (a busy channel would otherwise starve
 * a message that is updated faster than its turn comes). A slot is used up when its send goes.
 * Times are Redis's clock; callers only see relative waits, so worker clocks don't matter.
 */
const PACE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local block = tonumber(ARGV[2])
local h = redis.call('HMGET', KEYS[1], 'next', 'last', 'blocked')
local nextFree = tonumber(h[1]) or 0
local last = tonumber(h[2]) or -interval
local blocked = tonumber(h[3]) or 0
if block > 0 then blocked = math.max(blocked, now + block) end
local held = tonumber(redis.call('HGET', KEYS[2], 'slot'))
local slot, wait
if held and block == 0 then
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
  redis.call('HDEL', KEYS[2], 'slot')
else
  redis.call('HSET', KEYS[2], 'slot', slot)
  local ttl = slot - now + 60000
  if redis.call('PTTL', KEYS[2]) < ttl then redis.call('PEXPIRE', KEYS[2], ttl) end
end
redis.call('HSET', KEYS[1], 'next', nextFree, 'last', last, 'blocked', blocked)
redis.call('PEXPIRE', KEYS[1], math.max(nextFree, blocked, last + interval) - now + 60000)
return wait
`;

export class ChannelPacer {
  constructor(
    private readonly redis: Redis,
    private readonly keys: DeliveryKeys,
    private readonly intervalMs: number,
  ) {}

  /**
   * Asks to send to `channel` now. Returns 0 (go; the held slot is used up) or how many ms to wait,
   * holding a slot in `holderKey`.
   */
  claim(channel: string, holderKey: string): Promise<number> {
    return this.run(channel, holderKey, 0);
  }

  /** Slack answered 429: nothing goes to the channel for `retryAfterMs`; holds a fresh slot after that. */
  block(channel: string, holderKey: string, retryAfterMs: number): Promise<number> {
    return this.run(channel, holderKey, Math.max(1, Math.ceil(retryAfterMs)));
  }

  private async run(channel: string, holderKey: string, blockMs: number): Promise<number> {
    return (await this.redis.eval(
      PACE,
      2,
      this.keys.pace(channel),
      holderKey,
      this.intervalMs,
      blockMs,
    )) as number;
  }
}
