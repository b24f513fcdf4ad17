/**
 * What the daemon asks of its cluster (src/daemon/cluster/): whether it may fire now, the claim that makes a
 * scheduled instant's run the only one, where the last handled instants live, and its role for `flow status`.
 * Without a cluster the daemon has none of this and fires by itself, as always.
 */
import type { InstantState } from '../state.js';
import type { Claim } from './claims.js';
import type { RoleView } from './role.js';

export interface ClusterGate {
  state: InstantState;
  active(): boolean;
  claim(pipeline: string, instant: Date): Promise<Claim>;
  view(): RoleView;
}
