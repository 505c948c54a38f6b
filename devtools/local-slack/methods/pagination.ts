import { SlackApiError } from '../api-error';
import type { Args } from '../args';

/** Cursor pagination as Slack does it: opaque base64 cursors, `next_cursor: ''` on the last page. */
export function paginate<T>(
  items: readonly T[],
  args: Args,
  defaultLimit = 100,
): { page: T[]; nextCursor: string } {
  const limit = Math.max(1, Math.min(args.int('limit') ?? defaultLimit, 1000));
  const cursor = args.string('cursor');
  let offset = 0;
  if (cursor) {
    const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
    if (!match?.[1]) throw new SlackApiError('invalid_cursor');
    offset = Number(match[1]);
  }
  const end = offset + limit;
  const nextCursor = end < items.length ? Buffer.from(`offset:${end}`).toString('base64') : '';
  return { page: items.slice(offset, end), nextCursor };
}
