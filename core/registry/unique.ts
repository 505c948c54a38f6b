import { ErrorCode, PantheonError } from '../errors';

/** Registering a name twice is a start-up error that names both places. */
export function assertUnique(
  kind: string,
  existing: ReadonlyMap<string, { location: string } | { spec: { location: string } }>,
  name: string,
  location: string,
): void {
  const previous = existing.get(name);
  if (!previous) return;
  const previousLocation = 'spec' in previous ? previous.spec.location : previous.location;
  throw new PantheonError(
    ErrorCode.DuplicateRegistration,
    `The ${kind} "${name}" is registered twice: first at ${previousLocation}, again at ${location}`,
    { name, locations: [previousLocation, location] },
  );
}
