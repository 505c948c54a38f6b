import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configShape } from '../config';
import { tiers } from '../core/workflow/tiers';

type Service = {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, unknown> | string[];
};
const compose = parse(readFileSync(join(import.meta.dirname, '..', 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as {
  services: Record<string, Service>;
};

describe('docker-compose.yml', () => {
  it('runs Temporal with its own Postgres and UI, Redis, Postgres, one service per tier and the bot', () => {
    const names = Object.keys(compose.services);
    expect(names).toEqual(
      expect.arrayContaining([
        'temporal',
        'temporal-db',
        'temporal-ui',
        'redis',
        'postgres',
        'bot',
        ...tiers.map((t) => `worker-${t}`),
      ]),
    );
    for (const tier of tiers)
      expect(compose.services[`worker-${tier}`]!.command).toEqual([
        'npx',
        'tsx',
        'worker/main.ts',
        '--tier',
        tier,
      ]);
  });

  it('uses only configuration names Pantheon knows, and every dependency exists', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const dependencies = Array.isArray(service.depends_on)
        ? service.depends_on
        : Object.keys(service.depends_on ?? {});
      for (const dependency of dependencies)
        expect(compose.services, `${name} depends on ${dependency}`).toHaveProperty(dependency);
      if (service.build) {
        const unknown = Object.keys(service.environment ?? {}).filter((key) => !(key in configShape));
        expect(unknown, `${name} sets unknown variables`).toEqual([]);
      }
    }
  });

  it('gives the bot and every worker the same blob folder (files and large payloads)', () => {
    const pantheon = ['bot', ...tiers.map((t) => `worker-${t}`)].map((name) => compose.services[name]!);
    for (const service of pantheon) {
      expect(service.environment?.BLOB_DIR).toBe('/var/lib/pantheon/blobs');
      expect(service.volumes).toEqual(['blobs:/var/lib/pantheon/blobs']);
    }
  });
});
