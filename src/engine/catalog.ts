import { addDaysIn } from '../time';
import type { AccountState } from '../ledger/types';
import type { Customer } from '../schema/customer';
import type { Reward } from '../schema/program';
import type { RewardRequest } from '../schema/requests';
import type { Decision } from './decision';
import { settleLapsedHolds, spend } from './lots';
import { hooksOf, KindCache } from '../kinds';
import type { IssuedReward } from './notifications';
import { accept, refuse } from './outcome';
import type { Program } from './program-type';
import { rewardCode } from './codes';

export { rewardCode };
import { noticeId, noticePrefix, transactionId } from '../ledger/ids';

/** What the host knows that the account does not: stock already issued, and an optional code generator. */
export interface RedeemRewardOptions {
  /** How many of this reward were issued so far, program-wide (the service keeps this count). */
  readonly issued?: number | undefined;
  /** The customer (tier-only rewards look at it). */
  readonly customer?: Customer | undefined;
  /** Makes the code; by default `rewardCode` (deterministic from the request id). */
  readonly code?: ((input: { readonly programId: string; readonly reward: Reward; readonly requestId: string }) => string) | undefined;
}

/**
 * Exchanges points for a catalog reward: checks validity, stock and balance, burns the cost, and
 * emits `reward.issued` with what the host needs to deliver or ship it (its code, value, SKU…).
 * Refusals: `unknown_reward`, `reward_unavailable`, `out_of_stock`, `insufficient_points`.
 *
 * @example
 * ```ts
 * const d = redeemReward(program, account, rewardRequestSchema.parse({ requestId: 'r1', rewardId: 'free-coffee', at }), { issued: 12 });
 * ```
 */
export function redeemReward(program: Program, account: AccountState, request: RewardRequest, options?: RedeemRewardOptions): Decision {
  const reward = program.config.rewards.find((r) => r.id === request.rewardId);
  if (!reward) return refuse('unknown_reward', ['rewardId'], `no reward "${request.rewardId}" in the catalog`);
  const t = request.at.getTime();
  if ((reward.validFrom && t < reward.validFrom.getTime()) || (reward.validUntil && t >= reward.validUntil.getTime())) {
    return refuse('reward_unavailable', ['rewardId'], `reward "${reward.id}" is not offered at ${request.at.toISOString()}`);
  }
  const denied = hooksOf(program).canRedeemReward?.({ program, account, customer: options?.customer, at: request.at, rewardId: reward.id, cache: new KindCache() });
  if (denied) return { ok: false, issues: [denied] };
  const issued = options?.issued ?? 0;
  if (reward.stock !== undefined && issued >= reward.stock) {
    return refuse('out_of_stock', ['rewardId'], `reward "${reward.id}" is out of stock (${reward.stock} issued)`);
  }
  const unit = hooksOf(program).unit(program);
  const settled = settleLapsedHolds(account, request.at);
  const draws = spend(settled.state, reward.cost, request.at, unit);
  if (!draws) return refuse('insufficient_points', ['rewardId'], `reward "${reward.id}" costs ${reward.cost.toString()} points`);
  const code = options?.code ? options.code({ programId: program.id, reward, requestId: request.requestId }) : rewardCode(program.id, reward.id, request.requestId, reward.codePrefix);
  const validUntil = reward.codeValidDays !== undefined ? addDaysIn(request.at, reward.codeValidDays, program.config.timeZone) : undefined;
  const issuedReward: IssuedReward = {
    rewardId: reward.id,
    name: reward.name,
    kind: reward.kind,
    code,
    cost: reward.cost,
    ...(reward.value !== undefined ? { value: reward.value, currency: program.config.currency } : {}),
    ...(reward.percent !== undefined ? { percent: reward.percent } : {}),
    ...(reward.sku !== undefined ? { sku: reward.sku } : {}),
    ...(reward.event !== undefined ? { event: reward.event } : {}),
    ...(validUntil !== undefined ? { validUntil } : {}),
  };
  const id = transactionId('reward', request.requestId);
  return accept(
    program,
    account,
    id,
    request.at,
    { kind: 'request', requestId: request.requestId, operation: 'reward' },
    [...settled.entries, { kind: 'redeem', unit, draws, rewardId: reward.id }],
    [{ id: noticeId(noticePrefix('reward', request.requestId), 'reward.issued'), type: 'reward.issued', programId: program.id, customerId: account.customerId, at: request.at, reward: issuedReward, requestId: request.requestId }],
  );
}
