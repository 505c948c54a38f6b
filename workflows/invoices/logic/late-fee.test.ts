import { describe, expect, it } from 'vitest';
import { computeLateFee } from './late-fee';

const fee = (input: Parameters<typeof computeLateFee.input.parse>[0]) =>
  computeLateFee.output.parse(computeLateFee.run(computeLateFee.input.parse(input)));

describe('invoices/logic/late-fee.computeLateFee', () => {
  it('charges nothing within the grace period', () => {
    expect(fee({ amount: 1000, daysLate: 5 })).toMatchObject({ fee: 0, periods: 0, capped: false });
  });

  it('charges the monthly rate per started 30 days after the grace period, in cents', () => {
    expect(fee({ amount: 1234.56, daysLate: 6 })).toMatchObject({ fee: 18.52, periods: 1 });
    expect(fee({ amount: 1000, currency: 'EUR', daysLate: 65 })).toMatchObject({
      fee: 30,
      currency: 'EUR',
      periods: 2,
    });
  });

  it('caps the fee', () => {
    expect(fee({ amount: 1000, daysLate: 400, capPercent: 5 })).toMatchObject({ fee: 50, capped: true });
  });
});
