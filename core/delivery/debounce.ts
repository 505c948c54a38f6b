import type { Redis } from 'ioredis';
import type { DeliveryKeys } from './queue';

/**
 * Debouncing by key, e.g. `update:<channel>:<ts>`. A hash per key records the latest job and the
 * end of the current window. Every request of a window is delayed to the window's end; then each
 * job asks whether a newer job of its key exists, and only the newest one calls the API — the
 * others complete as "superseded by <newest>", and their waiters take the newest one's response.
 */
const MARK = `
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local windowEnd = tonumber(redis.call('HGET', KEYS[1], 'windowEnd'))
if not windowEnd or windowEnd <= now then windowEnd = now + tonumber(ARGV[2]) end
redis.call('HSET', KEYS[1], 'latest', ARGV[1], 'windowEnd', windowEnd)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return windowEnd - now
`;

const NEWER = `
local latest = redis.call('HGET', KEYS[1], 'latest')
if latest and latest ~= ARGV[1] and redis.call('EXISTS', ARGV[2] .. latest) == 1 then return latest end
return false
`;

export class Debouncer {
  constructor(
    private readonly redis: Redis,
    private readonly keys: DeliveryKeys,
    private readonly windowMs: number,
    private readonly ttlMs: number,
  ) {}

  /**
   * Makes `jobId` the latest of its key, before the job is added. Returns the delay to add it with,
   * or undefined when the job already exists (a repeated idempotency key must not become "latest"
   * again, or it would supersede newer content).
   */
  async mark(debounceKey: string, jobId: string): Promise<number | undefined> {
    const delay = (await this.redis.eval(
      MARK,
      2,
      this.keys.debounce(debounceKey),
      this.keys.job(jobId),
      jobId,
      this.windowMs,
      this.ttlMs,
    )) as number;
    return delay < 0 ? undefined : delay;
  }

  /** The id of a newer job of the same key that still exists, if any. */
  async newer(debounceKey: string, jobId: string): Promise<string | undefined> {
    const latest = (await this.redis.eval(
      NEWER,
      1,
      this.keys.debounce(debounceKey),
      jobId,
      this.keys.job(''),
    )) as string | null;
    return latest ?? undefined;
  }
}
