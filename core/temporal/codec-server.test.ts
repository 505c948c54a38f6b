import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors';
import { startCodecServer, type CodecServer, type CodecServerOptions } from './codec-server';

const TOKEN = 'test-token';
const config: CodecServerOptions['config'] = {
  PAYLOAD_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  PAYLOAD_ENCRYPTION_KEY_ID: undefined,
  CODEC_SERVER_PORT: 8888,
  CODEC_SERVER_TOKEN: TOKEN,
  TEMPORAL_UI_URL: 'http://localhost:8233',
};
const b64 = (text: string) => Buffer.from(text).toString('base64');

let server: CodecServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(overrides: Partial<CodecServerOptions> = {}): Promise<CodecServer> {
  server = await startCodecServer({ config, port: 0, ...overrides });
  return server;
}

function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` },
) {
  return fetch(`${server!.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

interface JsonPayloads {
  payloads: { metadata: Record<string, string>; data?: string }[];
}

describe('codec server', () => {
  it('encodes and decodes proto3-JSON payloads over HTTP', async () => {
    await start();
    const plain = { payloads: [{ metadata: { encoding: b64('json/plain') }, data: b64('{"card":"4111"}') }] };

    const encodeResponse = await post('/encode', plain);
    expect(encodeResponse.status).toBe(200);
    expect(encodeResponse.headers.get('content-type')).toBe('application/json');
    const encoded = (await encodeResponse.json()) as JsonPayloads;
    const [payload] = encoded.payloads;
    expect(Buffer.from(payload!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(payload!.metadata['encryption-key-id']!, 'base64').toString()).toBe('k1');
    expect(Buffer.from(payload!.data!, 'base64').toString()).not.toContain('4111');

    // Only the last path segment counts, e.g. the CLI's http://host/{namespace}/decode.
    const decoded = (await (await post('/default/decode', encoded)).json()) as JsonPayloads;
    expect(decoded).toEqual(plain);
  });

  it('round trips payloads without data, and leaves unencrypted payloads alone on decode', async () => {
    await start();
    const nullPayload = { metadata: { encoding: b64('binary/null') } };
    const plain = { metadata: { encoding: b64('json/plain') }, data: b64('1') };
    const encoded = (await (await post('/encode', { payloads: [nullPayload] })).json()) as JsonPayloads;
    const response = await post('/decode', { payloads: [...encoded.payloads, plain] });
    expect(await response.json()).toEqual({ payloads: [nullPayload, plain] });
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { Authorization: 'Bearer nope' }],
    ['the token without Bearer', { Authorization: TOKEN }],
  ])('answers 401 to %s', async (_name, headers) => {
    await start();
    const response = await post('/decode', { payloads: [] }, headers);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers 400 to bad JSON, a wrong shape and undecryptable payloads', async () => {
    await start();
    const badJson = await post('/decode', '{"payloads": [');
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toEqual({ error: 'Request body is not valid JSON' });

    const badShape = await post('/decode', { payloads: [{ data: 'not base64!' }] });
    expect(badShape.status).toBe(400);
    expect(((await badShape.json()) as { error: string }).error).toMatch(/payloads\.0\.data must be base64/);

    const tampered = {
      payloads: [
        { metadata: { encoding: b64('binary/encrypted'), 'encryption-key-id': b64('k9') }, data: b64('x') },
      ],
    };
    const unknownKey = await post('/decode', tampered);
    expect(unknownKey.status).toBe(400);
    expect(((await unknownKey.json()) as { error: string }).error).toMatch(/"k9"/);
  });

  it('answers 404 to other paths and 405 to other methods', async () => {
    await start();
    expect((await post('/other', { payloads: [] })).status).toBe(404);
    const get = await fetch(`${server!.url}/decode`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(get.status).toBe(405);
  });

  it('answers the Temporal UI CORS preflight without a token', async () => {
    await start();
    for (const origin of ['http://localhost:8233', 'http://127.0.0.1:8233']) {
      const response = await fetch(`${server!.url}/decode`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization,content-type,x-namespace',
        },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      expect(response.headers.get('access-control-allow-headers')?.toLowerCase().split(', ')).toEqual([
        'authorization',
        'content-type',
        'x-namespace',
      ]);
    }
    const actual = await post(
      '/decode',
      { payloads: [] },
      { Authorization: `Bearer ${TOKEN}`, Origin: 'http://localhost:8233' },
    );
    expect(actual.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
  });

  it('gives other origins no CORS headers', async () => {
    await start();
    const response = await fetch(`${server!.url}/decode`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses to start without a token unless allowed', async () => {
    const noToken = { ...config, CODEC_SERVER_TOKEN: undefined };
    await expect(startCodecServer({ config: noToken, port: 0 })).rejects.toMatchObject({
      code: ErrorCode.ConfigInvalid,
      message: expect.stringMatching(/CODEC_SERVER_TOKEN must be set/),
    });
    await start({ config: noToken, allowUnauthenticated: true });
    expect((await post('/decode', { payloads: [] }, {})).status).toBe(200);
  });

  it('refuses to start without encryption keys', async () => {
    await expect(
      startCodecServer({ config: { ...config, PAYLOAD_ENCRYPTION_KEYS: undefined }, port: 0 }),
    ).rejects.toThrow(/PAYLOAD_ENCRYPTION_KEYS must be set/);
  });
});
