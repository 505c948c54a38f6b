import type { ApiCall } from './types';

export interface PostRateOptions {
  /** Only this channel (default: the busiest channel). */
  channel?: string;
  /** Methods that count as posting. Default chat.postMessage, the method Slack limits per channel. */
  methods?: readonly string[];
  /** Sliding window length. Default 1000 ms, so the result is "posts per second". */
  windowMs?: number;
  /** Count only calls Slack accepted. Default false: attempts count, rejected ones included. */
  okOnly?: boolean;
}

/** The record of every Web API call, in arrival order. */
export class CallLog {
  private readonly entries: ApiCall[] = [];

  record(call: ApiCall): void {
    this.entries.push(call);
  }

  calls(method?: string): ApiCall[] {
    return structuredClone(method ? this.entries.filter((c) => c.method === method) : this.entries);
  }

  clear(): void {
    this.entries.length = 0;
  }

  /** The most posts seen in any one window for one channel: the bot's peak per-channel post rate. */
  maxPostRate(options: PostRateOptions = {}): number {
    const { channel, methods = ['chat.postMessage'], windowMs = 1000, okOnly = false } = options;
    const byChannel = new Map<string, number[]>();
    for (const call of this.entries) {
      if (!methods.includes(call.method) || (okOnly && call.response.ok !== true)) continue;
      const target = call.args.channel ?? call.args.channel_id;
      if (typeof target !== 'string' || (channel && target !== channel)) continue;
      byChannel.set(target, [...(byChannel.get(target) ?? []), call.at]);
    }
    let max = 0;
    for (const times of byChannel.values()) {
      let start = 0;
      for (let end = 0; end < times.length; end++) {
        while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMs) start++;
        max = Math.max(max, end - start + 1);
      }
    }
    return max;
  }
}
