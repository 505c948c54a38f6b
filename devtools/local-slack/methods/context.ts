import type { Args } from '../args';
import type { Workspace } from '../workspace';

export interface MethodContext {
  ws: Workspace;
  /** The server's own base URL, for URLs it hands out (uploads, files). */
  baseUrl: string;
}

/** A Web API method: returns the success body without `ok`, or throws SlackApiError. */
export type MethodHandler = (args: Args, ctx: MethodContext) => Record<string, unknown>;

export type MethodTable = Record<string, MethodHandler>;
