import {
  ApplicationFailure,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ChildWorkflowOptions } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { z } from 'zod';
import type { WorkflowDefinition } from '../../../core/workflow/workflow-definition';
import { runActivity } from '../../../core/workflow/run-activity';
import { executeChildWorkflow } from '../../../core/workflow/children';
import type { Progress } from '../../../core/workflow/progress';
import { createBudget, estimateTokens, exceededLimits, remaining } from './budget';
import type { Budget, BudgetLimits } from './budget';
import {
  askBudgetRaise,
  budgetDecideUpdateName,
  budgetDenySignalName,
  budgetLimitsSchema,
  budgetQueryName,
  budgetRaiseSignalName,
  runLlmStateSchema,
  runUsageSchema,
  signedBudgetDecisionSchema,
} from '../../../core/workflow/budget-contract';
import type {
  BudgetAskRequest,
  BudgetDecision,
  BudgetDeny,
  BudgetLimitsInput,
  BudgetRaise,
  BudgetReceipt,
  BudgetStatus,
  RunLlmState,
  RunUsage,
} from '../../../core/workflow/budget-contract';
import { verifyBudgetDecision } from './budget-decision';
import { defaultModels, parseModelRef } from '../models';
import { priceOf, roundUsd } from './pricing';
import { llmGenerate, structured } from '../specs';
import type { LlmGenerateInput, LlmGenerateOutput } from '../specs';

/**
 * LLM calls from workflow code, under a per-run budget kept in workflow state:
 *
 *   const llm = createRunLlm({ budget: input.budget, progress });
 *   const { data } = await llm.generateObject(schema, { messages });
 *   return { ...data, usage: llm.usage() };
 *
 * Before each call the helper estimates what it will spend; when that would pass a cap, the run
 * pauses (progress `waiting('budget approval')`), asks a person through the `budget.askRaise`
 * activity, and waits for a signed `pantheon.budget.decide` Update: a raise (new caps) or a denial
 * (the call fails with BudgetExceeded). Raising spends money, so it is signed like an approval
 * vote and checked here (./budget-decision.ts); the old unsigned signals are refused. After each call the actual usage is charged — summed over structured
 * output repairs and whichever fallback model answered. Children started with `child()` get the
 * remaining budget as their `budget` input and report their `usage` back, which is charged here
 * (with any raise they were granted). The `pantheon.budget` query answers the totals.
 *
 * Workflow-safe. One per run: it owns the budget signals and query.
 */
export interface RunLlmOptions {
  /** The run's caps, usually the workflow input's `budget` field. None: unlimited (still counted). */
  readonly budget?: BudgetLimitsInput;
  /** What the previous run spent, raised and decided (`state()` carried over continue-as-new); replaces `budget`. */
  readonly resume?: RunLlmState;
  /** Records the pause as a wait (shown by the CLI and in the Slack thread). */
  readonly progress?: Progress;
  /** Model alias for calls that name none (the worker's LLM_DEFAULT_MODEL otherwise). */
  readonly model?: string;
  /** How long a paused call waits for an answer before failing with BudgetExceeded. Default 24 hours. */
  readonly askTimeout?: Duration;
  /** Output tokens assumed for a call that sets no `maxTokens`. Default 1024. */
  readonly expectedOutputTokens?: number;
}

export type StructuredCallOptions = Omit<NonNullable<LlmGenerateInput['structured']>, 'schema'>;

export type GenerateObjectOutput<T> = LlmGenerateOutput & { readonly data: T };

interface Amount {
  tokens: number;
  costUsd: number;
}

const decideUpdate = defineUpdate<BudgetReceipt, [unknown]>(budgetDecideUpdateName);
// Unsigned, so anyone with Temporal access could have sent them: refused, and the attempt logged.
const legacyRaiseSignal = defineSignal<[unknown]>(budgetRaiseSignalName);
const legacyDenySignal = defineSignal<[unknown]>(budgetDenySignalName);

/** Why a decision is refused: its message reaches the person (Slack, CLI). */
function refusal(reason: string, message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, reason);
}
const budgetQuery = defineQuery<BudgetStatus>(budgetQueryName);

export class RunLlm {
  #budget: Budget;
  #inputTokens = 0;
  #outputTokens = 0;
  #reserved: Amount = { tokens: 0, costUsd: 0 };
  #raised: Amount = { tokens: 0, costUsd: 0 };
  #pending: BudgetStatus['pending'];
  #denied: BudgetDeny | undefined;
  /** The keys signed decisions are checked with: from the worker, with each ask. */
  #voteKeys: Readonly<Record<string, string>> = {};
  readonly #usedSignatures = new Set<string>();
  readonly #decisions: BudgetStatus['decisions'] = [];
  #asks = 0;

  constructor(private readonly options: RunLlmOptions = {}) {
    const limits = budgetLimitsSchema.parse(options.budget ?? {});
    this.#budget = createBudget(limits);
    if (options.resume) this.#restore(runLlmStateSchema.parse(options.resume));
    setHandler(decideUpdate, (raw) => this.#decide(this.#judge(raw)), {
      validator: (raw) => void this.#judge(raw),
    });
    for (const signal of [legacyRaiseSignal, legacyDenySignal])
      setHandler(signal, () =>
        log.warn(`refused an unsigned ${signal.name} signal: budget decisions are signed Updates`),
      );
    setHandler(budgetQuery, () => this.status());
  }

  /** One `llm.generate` call, within budget. */
  async generate(request: LlmGenerateInput): Promise<LlmGenerateOutput> {
    const call: LlmGenerateInput = { ...request, model: request.model ?? this.options.model };
    const estimate = this.#estimate(call);
    await this.#ensureRoom(estimate);
    this.#reserve(estimate, 1);
    let result: LlmGenerateOutput;
    try {
      result = await runActivity(llmGenerate, call);
    } catch (error) {
      throw surfaced(error);
    } finally {
      this.#reserve(estimate, -1);
    }
    this.#charge({
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      totalTokens: result.usage.totalTokens,
      costUsd: result.costUsd,
      calls: 1,
    });
    return result;
  }

  /** Structured output: JSON of `schema`, validated (and repaired) by the activity, typed here. */
  async generateObject<S extends z.ZodType>(
    schema: S,
    request: Omit<LlmGenerateInput, 'structured'>,
    options: StructuredCallOptions = {},
  ): Promise<GenerateObjectOutput<z.output<S>>> {
    const result = await this.generate({ ...request, structured: structured(schema, options) });
    const parsed = schema.safeParse(result.data);
    if (!parsed.success) {
      throw ApplicationFailure.nonRetryable(
        `The model's answer does not match ${options.name ?? 'the schema'}: ${parsed.error.message}`,
        'LlmOutputInvalid',
      );
    }
    return { ...result, data: parsed.data };
  }

  /**
   * Run a registered workflow as a child with what is left of this budget (its `budget` input),
   * then charge the `usage` it reports — and any raise a person granted it.
   */
  async child<I extends z.ZodType, O extends z.ZodType>(
    definition: WorkflowDefinition<I, O>,
    input: z.input<I>,
    options?: Partial<ChildWorkflowOptions>,
  ): Promise<z.output<O>>;
  async child(
    name: string,
    input: Record<string, unknown>,
    options?: Partial<ChildWorkflowOptions>,
  ): Promise<unknown>;
  async child(
    definitionOrName: WorkflowDefinition | string,
    input: unknown,
    options: Partial<ChildWorkflowOptions> = {},
  ): Promise<unknown> {
    const name = typeof definitionOrName === 'string' ? definitionOrName : definitionOrName.name;
    const budget = this.childBudget();
    const share: Amount = { tokens: budget.maxTokens ?? 0, costUsd: budget.maxCostUsd ?? 0 };
    this.#reserve(share, 1);
    let result: unknown;
    try {
      result = await executeChildWorkflow(name, { ...(input as object), budget }, options);
    } finally {
      this.#reserve(share, -1);
    }
    const usage = runUsageSchema.safeParse((result as { usage?: unknown } | undefined)?.usage);
    if (usage.success) this.chargeChild(usage.data);
    else log.info('the child workflow reported no LLM usage', { workflow: name });
    return result;
  }

  /** The caps a child gets: what is left (unlimited stays unlimited). */
  childBudget(): BudgetLimitsInput {
    const left = this.#left();
    return {
      ...(left.tokens !== undefined && { maxTokens: Math.max(0, Math.floor(left.tokens)) }),
      ...(left.costUsd !== undefined && { maxCostUsd: Math.max(0, roundUsd(left.costUsd)) }),
    };
  }

  /** Charge what a child (started some other way) reported in its result's `usage`. */
  chargeChild(usage: RunUsage): void {
    if (usage.raised)
      this.#raise({ maxTokens: this.#budget.maxTokens, maxCostUsd: this.#budget.maxCostUsd }, usage.raised);
    this.#charge(usage);
  }

  /** Totals for the workflow's result. */
  usage(): RunUsage {
    const b = this.#budget;
    return {
      inputTokens: this.#inputTokens,
      outputTokens: this.#outputTokens,
      totalTokens: b.usedTokens,
      costUsd: b.usedCostUsd,
      calls: b.calls,
      ...(b.maxTokens !== undefined && { maxTokens: b.maxTokens }),
      ...(b.maxCostUsd !== undefined && { maxCostUsd: b.maxCostUsd }),
      ...((this.#raised.tokens > 0 || this.#raised.costUsd > 0) && { raised: { ...this.#raised } }),
    };
  }

  /** Everything the budget knows, for the next run after continue-as-new (`resume`). */
  state(): RunLlmState {
    return { ...this.usage(), decisions: this.#decisions.map((d) => ({ ...d })), asks: this.#asks };
  }

  #restore(state: RunLlmState): void {
    this.#budget = {
      ...(state.maxTokens !== undefined && { maxTokens: state.maxTokens }),
      ...(state.maxCostUsd !== undefined && { maxCostUsd: state.maxCostUsd }),
      usedTokens: state.totalTokens,
      usedCostUsd: state.costUsd,
      calls: state.calls,
    };
    this.#inputTokens = state.inputTokens;
    this.#outputTokens = state.outputTokens;
    this.#raised = state.raised ? { ...state.raised } : { tokens: 0, costUsd: 0 };
    this.#decisions.push(...state.decisions);
    this.#asks = state.asks;
  }

  /** The `pantheon.budget` query's answer. */
  status(): BudgetStatus {
    return {
      ...this.usage(),
      state: this.#pending ? 'waiting' : this.#denied ? 'denied' : 'ok',
      remaining: remaining(this.#budget),
      ...(this.#pending && { pending: this.#pending }),
      decisions: this.#decisions.map((d) => ({ ...d })),
    };
  }

  /** Pause until the estimate fits under the caps (raised by a person), or fail if they deny. */
  async #ensureRoom(estimate: Amount): Promise<void> {
    for (;;) {
      const reasons = exceededLimits(this.#withReserved(), {
        tokens: estimate.tokens,
        costUsd: estimate.costUsd,
      });
      if (reasons.length === 0) return;
      if (this.#denied)
        throw budgetExceeded(
          `LLM budget exceeded (${reasons.join(', ')}) and ${this.#denied.by} denied a raise${this.#denied.reason ? `: ${this.#denied.reason}` : ''}`,
        );
      const decisionsBefore = this.#decisions.length;
      this.#pending = {
        since: new Date().toISOString(),
        reasons,
        estimate: { ...estimate },
        suggested: this.#suggest(estimate),
      };
      await this.options.progress?.waiting('budget approval');
      await this.#ask();
      const answered = await condition(
        () => this.#decisions.length > decisionsBefore,
        this.options.askTimeout ?? '24 hours',
      );
      this.#pending = undefined;
      if (!answered)
        throw budgetExceeded(`LLM budget exceeded (${reasons.join(', ')}) and nobody raised it in time`);
      await this.options.progress?.resumed();
    }
  }

  async #ask(): Promise<void> {
    const info = workflowInfo();
    const slack = info.memo?.slack as { channel?: unknown; user?: unknown; threadTs?: unknown } | undefined;
    const request: BudgetAskRequest = {
      workflowId: info.workflowId,
      runId: info.runId,
      workflowType: info.workflowType,
      rootWorkflowId: info.root?.workflowId ?? info.workflowId,
      ...(slack && typeof slack.channel === 'string'
        ? {
            slack: {
              channel: slack.channel,
              ...(typeof slack.user === 'string' && { user: slack.user }),
              ...(typeof slack.threadTs === 'string' && { threadTs: slack.threadTs }),
            },
          }
        : {}),
      ...(typeof info.memo?.startedBy === 'string' && { startedBy: info.memo.startedBy }),
      seq: ++this.#asks,
      status: this.status(),
    };
    try {
      const { asked, voteKeys } = await runActivity(askBudgetRaise, request);
      this.#voteKeys = voteKeys;
      if (!asked)
        log.warn(`LLM budget paused; nobody was asked: answer with \`pantheon budget ${info.workflowId}\``, {
          workflowId: info.workflowId,
        });
    } catch (error) {
      // The keys of an earlier ask still hold; without any, no decision can be checked and the
      // pause ends at its timeout.
      log.error('could not ask for a budget raise (nor learn the decision keys)', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /**
   * A decision counts only if signed by a key the worker knows, for this run, still valid, never
   * seen before, and while a call is paused (a stale button decides nothing).
   */
  #judge(raw: unknown): { decision: BudgetDecision; signature: string } {
    const parsed = signedBudgetDecisionSchema.safeParse(raw);
    if (!parsed.success)
      throw refusal('malformed', `The budget decision is malformed: ${parsed.error.message}`);
    const signed = parsed.data;
    if (signed.runId !== workflowInfo().runId) throw refusal('wrong-run', 'The decision is for another run.');
    if (!this.#pending) throw refusal('not-waiting', 'This run is not waiting for a budget decision.');
    if (Object.keys(this.#voteKeys).length === 0)
      throw refusal('not-ready', 'The run is still asking for a decision; please try again in a moment.');
    if (!verifyBudgetDecision(signed, this.#voteKeys))
      throw refusal('bad-signature', 'The decision is not signed by a known key.');
    if (new Date().getTime() > Date.parse(signed.expiresAt))
      throw refusal('expired', 'The decision arrived too late; nothing changed. Please try again.');
    if (this.#usedSignatures.has(signed.signature))
      throw refusal('replayed', 'This decision was already counted.');
    return { decision: signed.decision, signature: signed.signature };
  }

  #decide({ decision, signature }: { decision: BudgetDecision; signature: string }): BudgetReceipt {
    this.#usedSignatures.add(signature);
    if (decision.kind === 'raise') this.#onRaise(decision);
    else this.#onDeny(decision);
    return {
      kind: decision.kind,
      ...(this.#budget.maxTokens !== undefined && { maxTokens: this.#budget.maxTokens }),
      ...(this.#budget.maxCostUsd !== undefined && { maxCostUsd: this.#budget.maxCostUsd }),
    };
  }

  #onRaise(raise: BudgetRaise): void {
    const before = { tokens: this.#budget.maxTokens, costUsd: this.#budget.maxCostUsd };
    // Caps only go up; a limit the run never had stays absent (unlimited).
    const grant: Amount = {
      tokens:
        before.tokens !== undefined && raise.maxTokens !== undefined
          ? Math.max(0, raise.maxTokens - before.tokens)
          : 0,
      costUsd:
        before.costUsd !== undefined && raise.maxCostUsd !== undefined
          ? Math.max(0, roundUsd(raise.maxCostUsd - before.costUsd))
          : 0,
    };
    this.#raise({ maxTokens: before.tokens, maxCostUsd: before.costUsd }, grant);
    this.#denied = undefined;
    this.#decisions.push({
      kind: 'raise',
      by: raise.by,
      at: new Date().toISOString(),
      ...(this.#budget.maxTokens !== undefined && { maxTokens: this.#budget.maxTokens }),
      ...(this.#budget.maxCostUsd !== undefined && { maxCostUsd: this.#budget.maxCostUsd }),
    });
  }

  #onDeny(deny: BudgetDeny): void {
    this.#denied = deny;
    this.#decisions.push({
      kind: 'deny',
      by: deny.by,
      at: new Date().toISOString(),
      ...(deny.reason && { reason: deny.reason }),
    });
  }

  #raise(current: BudgetLimits, grant: Amount): void {
    this.#budget = {
      ...this.#budget,
      ...(current.maxTokens !== undefined && { maxTokens: current.maxTokens + grant.tokens }),
      ...(current.maxCostUsd !== undefined && { maxCostUsd: roundUsd(current.maxCostUsd + grant.costUsd) }),
    };
    this.#raised = {
      tokens: this.#raised.tokens + grant.tokens,
      costUsd: roundUsd(this.#raised.costUsd + grant.costUsd),
    };
  }

  #charge(usage: Pick<RunUsage, 'inputTokens' | 'outputTokens' | 'totalTokens' | 'costUsd' | 'calls'>): void {
    this.#inputTokens += usage.inputTokens;
    this.#outputTokens += usage.outputTokens;
    this.#budget = {
      ...this.#budget,
      usedTokens: this.#budget.usedTokens + usage.totalTokens,
      usedCostUsd: roundUsd(this.#budget.usedCostUsd + usage.costUsd),
      calls: this.#budget.calls + usage.calls,
    };
  }

  #reserve(amount: Amount, sign: 1 | -1): void {
    this.#reserved = {
      tokens: this.#reserved.tokens + sign * amount.tokens,
      costUsd: roundUsd(this.#reserved.costUsd + sign * amount.costUsd),
    };
  }

  /** The budget as if calls and children still running had spent their estimates. */
  #withReserved(): Budget {
    return {
      ...this.#budget,
      usedTokens: this.#budget.usedTokens + this.#reserved.tokens,
      usedCostUsd: roundUsd(this.#budget.usedCostUsd + this.#reserved.costUsd),
    };
  }

  #left(): { tokens?: number; costUsd?: number } {
    return remaining(this.#withReserved());
  }

  /** Caps that would let the paused call run, with room for as much again. */
  #suggest(estimate: Amount): { maxTokens?: number; maxCostUsd?: number } {
    const used = this.#withReserved();
    const next = (max: number, spent: number, need: number) => Math.max(max * 2, spent + need * 2);
    return {
      ...(used.maxTokens !== undefined && {
        maxTokens: Math.ceil(next(used.maxTokens, used.usedTokens, estimate.tokens)),
      }),
      ...(used.maxCostUsd !== undefined && {
        maxCostUsd: Math.ceil(next(used.maxCostUsd, used.usedCostUsd, estimate.costUsd) * 10_000) / 10_000,
      }),
    };
  }

  /** Tokens: the prompt at ~4 characters a token plus the output cap. Cost: observed rate, else list price. */
  #estimate(request: LlmGenerateInput): Amount {
    const text = [
      ...request.messages.map((m) => m.content ?? ''),
      request.tools ? JSON.stringify(request.tools) : '',
      request.structured ? JSON.stringify(request.structured.schema) : '',
    ].join('\n');
    const input = estimateTokens(text) + request.messages.length * 4;
    const output = request.maxTokens ?? this.options.expectedOutputTokens ?? 1024;
    return { tokens: input + output, costUsd: this.#estimateCost(request.model, input, output) };
  }

  #estimateCost(model: string | undefined, input: number, output: number): number {
    const b = this.#budget;
    if (b.usedTokens > 0 && b.usedCostUsd > 0)
      return roundUsd((b.usedCostUsd / b.usedTokens) * (input + output));
    const ref = model ?? 'smart';
    const providerModel = defaultModels[ref]?.model ?? parseModelRef(ref)?.model ?? ref;
    const price = priceOf(providerModel);
    return price ? roundUsd((input * price.input + output * price.output) / 1_000_000) : 0;
  }
}

export function createRunLlm(options: RunLlmOptions = {}): RunLlm {
  return new RunLlm(options);
}

function budgetExceeded(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'BudgetExceeded');
}

/**
 * A misconfigured LLM tier (no provider key, a rejected key) fails the run at once with a
 * ConfigInvalid failure whose message names the variables to set; other failures pass through.
 */
function surfaced(error: unknown): unknown {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if ((current as { type?: unknown }).type === 'ConfigInvalid') {
      return ApplicationFailure.create({
        message: current.message,
        type: 'ConfigInvalid',
        nonRetryable: true,
        cause: error as Error,
      });
    }
  }
  return error;
}
