import type { IncomingMessage, ServerResponse } from 'node:http';

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface ParsedBody {
  params: Record<string, unknown>;
  /** Binary parts of a multipart body (file uploads), by field name. */
  files: Map<string, Buffer>;
}

/**
 * Slack accepts form-encoded, multipart and JSON bodies, plus query-string arguments; body values win.
 * Multipart is parsed by the platform's own Fetch `Response.formData()` rather than a dependency.
 */
export async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
  query: URLSearchParams,
): Promise<ParsedBody> {
  const params: Record<string, unknown> = Object.fromEntries(query);
  const files = new Map<string, Buffer>();
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (raw.length === 0) return { params, files };

  if (type === 'application/json') {
    const parsed = JSON.parse(raw.toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('json_not_object');
    Object.assign(params, parsed);
  } else if (type === 'multipart/form-data') {
    const form = await new Response(raw, { headers: { 'content-type': contentType ?? '' } }).formData();
    for (const [name, value] of form) {
      if (typeof value === 'string') params[name] = value;
      else files.set(name, Buffer.from(await value.arrayBuffer()));
    }
  } else {
    Object.assign(params, Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
  }
  return { params, files };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
