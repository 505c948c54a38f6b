import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { ActivityRegistry } from '../../core/registry/activity-registry';
import { FsBlobBackend } from '../../core/blobs/fs-backend';
import { BlobStore } from '../../core/blobs/store';
import { createRepositoryActivities } from './activities';
import { schemaOf } from './migrations';
import { RepositoryTool } from './tool';

const url = process.env.REPOSITORY_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const suffix = randomUUID().slice(0, 8);
const intake = `intake-${suffix}`; // a workflow with tables
const other = `other-${suffix}`; // another workflow with a table of the same name
const bare = `bare-${suffix}`; // a workflow without migrations

const workflowsDir = mkdtempSync(join(tmpdir(), 'repository-'));
function migration(workflow: string, file: string, sql: string): void {
  mkdirSync(join(workflowsDir, workflow, 'migrations'), { recursive: true });
  writeFileSync(join(workflowsDir, workflow, 'migrations', file), sql);
}
migration(
  intake,
  '001_documents.sql',
  `CREATE TABLE documents (id text PRIMARY KEY, title text NOT NULL, pages int, tags jsonb, created_at timestamptz NOT NULL DEFAULT now());`,
);
migration(intake, '002_status.sql', `ALTER TABLE documents ADD COLUMN status text NOT NULL DEFAULT 'new';`);
migration(other, '001_documents.sql', `CREATE TABLE documents (id text PRIMARY KEY, secret text);`);

const settings = { ...loadConfig({ REPOSITORY_MAX_ROWS: '3' }), DATABASE_URL: url };

describe('RepositoryTool (real Postgres, database test)', () => {
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  const tool = new RepositoryTool(settings, workflowsDir);
  let caller = { workflowName: intake };
  const blobs = new BlobStore(new FsBlobBackend(join(workflowsDir, 'blobs')), 1024 * 1024);
  const registry = new ActivityRegistry().register(...createRepositoryActivities(tool, () => caller, blobs));
  const run = (name: string, input: unknown) => registry.execute(name, input);

  beforeAll(async () => {
    await tool.ready();
    await admin.query(`INSERT INTO ${schemaOf(other)}.documents VALUES ('d1', 'not yours')`);
  });
  afterAll(async () => {
    await tool.close();
    for (const workflow of [intake, other])
      await admin.query(`DROP SCHEMA IF EXISTS ${schemaOf(workflow)} CASCADE`);
    await admin.end();
  });

  it('migrates each workflow’s own schema once, in order, with node-pg-migrate', async () => {
    const { rows } = await admin.query<{ name: string }>(
      `SELECT name FROM ${schemaOf(intake)}.pantheon_migrations ORDER BY run_on, id`,
    );
    expect(rows.map((r) => r.name)).toEqual(['001_documents', '002_status']);
    const again = new RepositoryTool(settings, workflowsDir);
    await again.ready(); // nothing new to apply, no error
    await again.close();
  });

  it('inserts a batch in one transaction: one bad row, and nothing is written', async () => {
    await expect(
      run('repository.insert', {
        table: 'documents',
        rows: [
          { id: 'a', title: 'Invoice A', pages: 2, tags: ['finance'] },
          { id: 'b', title: null },
        ],
      }),
    ).rejects.toMatchObject({
      code: 'InvalidInput',
      message: expect.stringMatching(/documents: null value in column "title"/),
    });
    expect((await run('repository.query', { table: 'documents' })) as object).toEqual({
      rows: [],
      truncated: false,
    });
  });

  it('inserts idempotently with onConflict, and reads rows filtered, sorted and capped', async () => {
    const rows = ['c', 'a', 'b', 'd'].map((id, i) => ({
      id,
      title: `Doc ${id}`,
      pages: i + 1,
      tags: { n: i },
    }));
    expect(
      await run('repository.insert', { table: 'documents', rows, onConflict: { columns: ['id'] } }),
    ).toEqual({
      inserted: 4,
    });
    // A retried activity inserts nothing twice.
    expect(
      await run('repository.insert', { table: 'documents', rows, onConflict: { columns: ['id'] } }),
    ).toEqual({
      inserted: 0,
    });
    const page = (await run('repository.query', {
      table: 'documents',
      columns: ['id', 'pages', 'tags', 'status'],
      orderBy: [{ column: 'id' }],
    })) as { rows: unknown[]; truncated: boolean };
    expect(page).toEqual({
      rows: [
        { id: 'a', pages: 2, tags: { n: 1 }, status: 'new' },
        { id: 'b', pages: 3, tags: { n: 2 }, status: 'new' },
        { id: 'c', pages: 1, tags: { n: 0 }, status: 'new' },
      ],
      truncated: true,
    });
    const some = (await run('repository.query', {
      table: 'documents',
      columns: ['id'],
      where: { id: { in: ['d', 'b', 'zz'] } },
      orderBy: [{ column: 'pages', descending: true }],
    })) as { rows: unknown[] };
    expect(some.rows).toEqual([{ id: 'd' }, { id: 'b' }]);
  });

  it('updates only rows matching every condition, and never without one', async () => {
    expect(
      await run('repository.update', {
        table: 'documents',
        set: { status: 'done' },
        where: { id: 'a', pages: 2 },
      }),
    ).toEqual({
      updated: 1,
    });
    expect(
      await run('repository.update', {
        table: 'documents',
        set: { status: 'x' },
        where: { id: 'a', pages: 99 },
      }),
    ).toEqual({
      updated: 0,
    });
    await expect(
      run('repository.update', { table: 'documents', set: { status: 'x' }, where: {} }),
    ).rejects.toMatchObject({
      code: 'InvalidInput',
      message: expect.stringContaining('never touches every row'),
    });
    const upserted = await run('repository.insert', {
      table: 'documents',
      rows: [{ id: 'a', title: 'Invoice A (v2)' }],
      onConflict: { columns: ['id'], update: true },
    });
    expect(upserted).toEqual({ inserted: 1 });
  });

  it('keeps each workflow to its own schema', async () => {
    caller = { workflowName: other };
    try {
      const mine = (await run('repository.query', { table: 'documents' })) as { rows: unknown[] };
      expect(mine.rows).toEqual([{ id: 'd1', secret: 'not yours' }]);
      // Another schema cannot be named: identifiers are validated and quoted whole.
      await expect(run('repository.query', { table: `${schemaOf(intake)}.documents` })).rejects.toMatchObject(
        {
          code: 'InvalidInput',
        },
      );
    } finally {
      caller = { workflowName: intake };
    }
    const intakeRows = (await run('repository.query', { table: 'documents', where: { id: 'd1' } })) as {
      rows: unknown[];
    };
    expect(intakeRows.rows).toEqual([]);
  });

  it('names what is wrong: a workflow without tables, an unknown table or column', async () => {
    caller = { workflowName: bare };
    try {
      await expect(run('repository.query', { table: 'documents' })).rejects.toMatchObject({
        message: expect.stringContaining(
          `add its first migration as workflows/${bare}/migrations/001_<name>.sql`,
        ),
      });
    } finally {
      caller = { workflowName: intake };
    }
    await expect(run('repository.query', { table: 'nope' })).rejects.toMatchObject({
      message: expect.stringContaining(`No table "nope" in workflow "${intake}"'s schema`),
    });
    await expect(
      run('repository.insert', { table: 'documents', rows: [{ id: 'z', title: 't', colour: 'red' }] }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/documents: column "colour" of relation "documents" does not exist/),
    });
    await expect(
      run('repository.insert', { table: 'documents', rows: [{ id: 'a', title: 'dup' }] }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('use onConflict'),
    });
  });

  it('refuses a migration added before one already applied', async () => {
    migration(intake, '000_early.sql', 'CREATE TABLE early (id int);');
    const late = new RepositoryTool(settings, workflowsDir);
    await expect(late.ready()).rejects.toMatchObject({
      code: 'ConfigInvalid',
      message: expect.stringContaining(`Migrations of workflow "${intake}"`),
    });
    await late.close();
  });

  it('stores a file the workflow produced and returns its reference', async () => {
    const ref = (await run('repository.putFile', {
      name: 'rows.csv',
      contentType: 'text/csv',
      text: 'a,b\n1,2\n',
    })) as {
      blobRef: string;
    };
    expect(ref).toMatchObject({ size: 8, contentType: 'text/csv', name: 'rows.csv' });
    expect((await blobs.get(ref.blobRef)).toString()).toBe('a,b\n1,2\n');
  });
});
