import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientKey, RateLimiter } from '../inbound/rate-limiter';
import { resultPage } from './pages';

/** Checks one request against its client address's budget; false once it answered 429. */
export type LinkRateLimit = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Email-link requests (GET and POST) per client address per minute. The page over the limit says
 * plainly that nothing was decided and when to try again. The address is the socket's: behind a
 * proxy every client shares the proxy's budget, which errs on the safe side.
 */
export function linkRateLimit(options: { perMinute: number; now?: () => number }): LinkRateLimit {
  const limiter = new RateLimiter({
    limit: options.perMinute,
    windowMs: 60_000,
    ...(options.now ? { now: options.now } : {}),
  });
  return (req, res) => {
    const client = clientKey(req.socket.remoteAddress);
    if (limiter.take(client)) return true;
    const retryAfter = limiter.retryAfterSeconds(client);
    res.writeHead(429, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Retry-After': String(retryAfter),
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    });
    res.end(
      resultPage(
        'Too many requests',
        `Nothing was decided: too many requests came from your address. Please wait ${retryAfter} seconds and try again.`,
      ),
    );
    return false;
  };
}
