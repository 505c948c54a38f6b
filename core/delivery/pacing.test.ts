import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ChannelPacer } from './pacing';
import { deliveryKeys } from './queue';

const redis = new Redis('redis://127.0.0.1:6379');
const queueName = `pacing-${randomUUID()}`;
const keys = deliveryKeys('pantheon-test', queueName);
const pacer = new ChannelPacer(redis, keys, 1000);

afterAll(async () => {
  const found = await redis.keys(`pantheon-test:${queueName}:*`);
  if (found.length) await redis.del(...found);
  redis.disconnect();
});

describe('ChannelPacer (real Redis)', () => {
  it('lets the first send go and gives later ones consecutive slots, per channel', async () => {
    expect(await pacer.claim('C1', keys.hold('a'))).toBe(0);
    const b = await pacer.claim('C1', keys.hold('b'));
    const c = await pacer.claim('C1', keys.hold('c'));
    expect(b).toBeGreaterThan(950);
    expect(c - b).toBeGreaterThan(950);
    // Asking again before its slot keeps the place in line rather than taking a new one.
    expect(Math.abs((await pacer.claim('C1', keys.hold('c'))) - c)).toBeLessThan(50);
    expect(await pacer.claim('C2', keys.hold('d'))).toBe(0);
  });

  it('blocks a channel for Retry-After and puts the rate-limited job after the block', async () => {
    expect(await pacer.claim('C3', keys.hold('e'))).toBe(0);
    const wait = await pacer.block('C3', keys.hold('e'), 5000);
    expect(wait).toBeGreaterThan(4950);
    expect(await pacer.claim('C3', keys.hold('f'))).toBeGreaterThan(wait + 950);
  });

  it('uses a held slot up when its send goes', async () => {
    await redis.hset(keys.hold('g'), 'slot', 0);
    expect(await pacer.claim('C4', keys.hold('g'))).toBe(0);
    expect(await redis.hget(keys.hold('g'), 'slot')).toBeNull();
  });
});
