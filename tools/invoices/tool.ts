import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import type { Database } from '../../core/db/pool';
import { Tool } from '../../core/registry/tool';
import { sanctionedVendors } from './models';
import type {
  recordInput,
  recordOutput,
  riskInput,
  riskOutput,
  vendorLookupInput,
  vendorLookupOutput,
} from './models';

export interface InvoicesToolOptions {
  readonly db: Database;
  /** Simulated latency of the accounting system after the ledger write (tests use it to crash mid-activity). */
  readonly recordLatencyMs?: number;
}

/** The sample tool: a vendor ledger in Postgres and a toy risk model. */
export class InvoicesTool extends Tool {
  readonly name = 'invoices';

  constructor(private readonly options: InvoicesToolOptions) {
    super();
  }

  /** invoices.assessRisk: a toy risk model (pure). */
  async assessRisk(input: z.output<typeof riskInput>): Promise<z.input<typeof riskOutput>> {
    return assess(input);
  }

  protected override async initialize(): Promise<void> {
    await this.options.db.query('SELECT 1');
  }

  /** invoices.lookupVendor: the vendor's invoices so far. */
  async lookupVendor({
    vendor,
  }: z.output<typeof vendorLookupInput>): Promise<z.input<typeof vendorLookupOutput>> {
    const { rows } = await this.options.db.query<{ count: string; total: string | null }>(
      'SELECT count(*) AS count, sum(amount) AS total FROM ledger_entries WHERE vendor = $1',
      [vendor],
    );
    return {
      vendor,
      previousInvoices: Number(rows[0]?.count ?? 0),
      previousTotal: Number(rows[0]?.total ?? 0),
    };
  }

  /** invoices.record: once per idempotency key. */
  async record(input: z.output<typeof recordInput>): Promise<z.input<typeof recordOutput>> {
    // ON CONFLICT keeps the write exactly-once across activity retries and worker crashes.
    const inserted = await this.options.db.query<{ id: string }>(
      `INSERT INTO ledger_entries (idempotency_key, vendor, amount, currency) VALUES ($1, $2, $3, $4)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [input.idempotencyKey, input.vendor, input.amount, input.currency],
    );
    if (this.options.recordLatencyMs) await sleep(this.options.recordLatencyMs);
    if (inserted.rows[0]) return { entryId: inserted.rows[0].id, created: true };
    const existing = await this.options.db.query<{ id: string }>(
      'SELECT id FROM ledger_entries WHERE idempotency_key = $1',
      [input.idempotencyKey],
    );
    return { entryId: existing.rows[0]!.id, created: false };
  }
}

function assess(input: z.output<typeof riskInput>): z.input<typeof riskOutput> {
  if (sanctionedVendors.includes(input.vendor.toLowerCase())) {
    throw ApplicationFailure.nonRetryable(
      `Vendor "${input.vendor}" is on the sanctions list`,
      'VendorBlocked',
    );
  }
  const reasons: string[] = [];
  let score = Math.min(input.amount / 5000, 0.6);
  if (input.amount >= 1000) reasons.push(`amount ${input.amount} ${input.currency} is at or above 1000`);
  if (input.previousInvoices === 0) {
    score += 0.3;
    reasons.push('first invoice from this vendor');
  }
  score = Math.min(1, Number(score.toFixed(2)));
  return { risk: input.amount >= 1000 || score >= 0.7 ? 'high' : 'low', score, reasons };
}
