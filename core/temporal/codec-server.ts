import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import type { CoreConfig } from '../config';
import { ErrorCode, PantheonError } from '../errors';
import { createEncryptionCodec } from './encryption-codec';

/**
 * Temporal's codec server protocol, so the Temporal UI and CLI can show encrypted payloads:
 * POST .../encode and .../decode (only the last path segment counts) with a proto3-JSON `Payloads`
 * body, `{"payloads":[{"metadata":{"encoding":"<base64>"},"data":"<base64>"}]}`, answered in the
 * same shape. Anyone who can call it can decrypt, hence the bearer token.
 */
export interface CodecServerOptions {
  config: Pick<
    CoreConfig,
    | 'PAYLOAD_ENCRYPTION_KEYS'
    | 'PAYLOAD_ENCRYPTION_KEY_ID'
    | 'CODEC_SERVER_PORT'
    | 'CODEC_SERVER_TOKEN'
    | 'TEMPORAL_UI_URL'
  >;
  /** Default CODEC_SERVER_PORT; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1; use 0.0.0.0 to serve other hosts. */
  host?: string;
  /** Browser origins allowed by CORS. Default: the origin of TEMPORAL_UI_URL (and its localhost/127.0.0.1 twin). */
  allowedOrigins?: string[];
  /** Serve without CODEC_SERVER_TOKEN. Only for a loopback-only development setup. */
  allowUnauthenticated?: boolean;
}

export interface CodecServer {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');
const payloadsBody = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), base64).nullish(), data: base64.nullish() })),
});
type JsonPayload = z.infer<typeof payloadsBody>['payloads'][number];

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const { config } = options;
  // The UI shows what history holds: plaintext payloads are displayed as they are, not refused.
  const codec = createEncryptionCodec({ ...config, PAYLOAD_ENCRYPTION_ALLOW_PLAINTEXT: true });
  if (!codec)
    throw new PantheonError(
      ErrorCode.ConfigInvalid,
      'PAYLOAD_ENCRYPTION_KEYS must be set to run the codec server',
    );
  const token = config.CODEC_SERVER_TOKEN;
  if (token === undefined && !options.allowUnauthenticated) {
    throw new PantheonError(
      ErrorCode.ConfigInvalid,
      'CODEC_SERVER_TOKEN must be set to run the codec server: anyone who can reach it can decrypt payloads',
    );
  }
  const origins = new Set(options.allowedOrigins ?? uiOrigins(config.TEMPORAL_UI_URL));

  const server = createServer((req, res) => {
    handle(req, res, { codec, token, origins }).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 400; // the protocol answers codec errors with 400
      sendJson(res, status, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.CODEC_SERVER_PORT, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  { codec, token, origins }: { codec: PayloadCodec; token: string | undefined; origins: Set<string> },
): Promise<void> {
  const origin = req.headers.origin;
  res.setHeader('Vary', 'Origin');
  if (origin !== undefined && origins.has(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
    res.setHeader('Access-Control-Max-Age', '600');
  }
  // Browsers send the preflight without credentials, so it must not need the token.
  if (req.method === 'OPTIONS') return void res.writeHead(204).end();

  const action = new URL(req.url ?? '/', 'http://codec').pathname.split('/').pop();
  if (action !== 'encode' && action !== 'decode')
    throw new HttpError(404, 'Not found: POST .../encode or .../decode');
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST, OPTIONS');
    throw new HttpError(405, `${req.method} is not allowed: use POST`);
  }
  if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
    res.setHeader('WWW-Authenticate', 'Bearer');
    throw new HttpError(401, 'Missing or wrong bearer token (Authorization: Bearer <CODEC_SERVER_TOKEN>)');
  }

  const body = parseBody(await readBody(req));
  const input = body.payloads.map(fromJson);
  const output = action === 'encode' ? await codec.encode(input) : await codec.decode(input);
  sendJson(res, 200, { payloads: output.map(toJson) });
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1] ?? '';
  // Compare digests: constant time, and timingSafeEqual needs equal lengths.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(token));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `Request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string): z.infer<typeof payloadsBody> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON');
  }
  const result = payloadsBody.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new HttpError(
      400,
      `Request body must be {"payloads":[{"metadata":{...},"data":"<base64>"}]}: ${issue.path.join('.') || 'body'} ${issue.message}`,
    );
  }
  return result.data;
}

function fromJson({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
    ),
    data: data ? Buffer.from(data, 'base64') : undefined,
  };
}

function toJson({ metadata, data }: Payload): JsonPayload {
  const base64Of = (bytes: Uint8Array) =>
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([key, value]) => [key, base64Of(value)]),
    ),
    // proto3 JSON leaves out empty bytes fields.
    ...(data?.length ? { data: base64Of(data) } : {}),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

/** The Temporal UI's origin; a loopback UI is reachable as localhost and 127.0.0.1, whichever was typed. */
function uiOrigins(uiUrl: string): string[] {
  const url = new URL(uiUrl);
  const twin = new Map([
    ['localhost', '127.0.0.1'],
    ['127.0.0.1', 'localhost'],
  ]).get(url.hostname);
  if (twin === undefined) return [url.origin];
  const other = new URL(uiUrl);
  other.hostname = twin;
  return [url.origin, other.origin];
}
