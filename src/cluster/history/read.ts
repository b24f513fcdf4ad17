/**
 * Reading a cluster's history from Redis: the functions `flow history`, `flow show`, `flow logs` and the web UI
 * call in cluster mode, in one place. Records are checked against the run file's shape; one that fails is
 * skipped (and never trusted), as a corrupt run file is.
 */
import type { Redis } from 'ioredis';
import { FlowError } from '../../errors.js';
import type { RunQuery } from '../../store/history.js';
import type { RunRecord } from '../../store/record.js';
import { check } from '../../store/check.js';
import { runRecordShape } from '../../store/shapes.js';
import { historyKeys, parseMember, runMember, type HistoryKeys } from './keys.js';

/** How many runs one round trip reads while filtering. */
const BATCH = 200;

export interface OwnedRun {
  pipeline: string;
  id: string;
  owner: string;
}

export class ClusterHistory {
  readonly keys: HistoryKeys;

  constructor(
    readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = historyKeys(prefix);
  }

  async get(pipeline: string, id: string): Promise<RunRecord | undefined> {
    return parseRecord(await this.redis.get(this.keys.run(pipeline, id)));
  }

  /** Runs newest first, filtered as `flow history` filters the local store. */
  async list(query: RunQuery = {}): Promise<RunRecord[]> {
    const limit = query.limit ?? 20;
    const set = query.pipeline === undefined ? this.keys.runs : this.keys.pipelineRuns(query.pipeline);
    const min = query.since === undefined ? '-inf' : String(query.since.getTime());
    const found: RunRecord[] = [];
    for (let offset = 0; found.length < limit; offset += BATCH) {
      const members = await this.redis.zrevrangebyscore(set, '+inf', min, 'LIMIT', offset, BATCH);
      if (members.length === 0) break;
      const refs = members.map((member) => (query.pipeline === undefined ? parseMember(member) : { pipeline: query.pipeline, id: member }));
      const texts = await this.redis.mget(...refs.map((ref) => this.keys.run(ref.pipeline, ref.id)));
      for (const text of texts) {
        const record = parseRecord(text);
        if (record === undefined) continue;
        if (query.status !== undefined && record.status !== query.status) continue;
        if (query.trigger !== undefined && record.trigger !== query.trigger) continue;
        found.push(record);
        if (found.length >= limit) break;
      }
    }
    return found;
  }

  /** A run by its id or a unique prefix of it (as `flow show` takes it). */
  async find(ref: string): Promise<RunRecord> {
    const matches: { pipeline: string; id: string }[] = [];
    let cursor = '0';
    // Run ids start with their start time: a prefix is matched against members scored from that time on.
    do {
      const [next, items] = await this.redis.zscan(this.keys.runs, cursor, 'COUNT', 1000);
      cursor = next;
      for (let at = 0; at < items.length; at += 2) {
        const member = parseMember(items[at] ?? '');
        if (member.id.startsWith(ref)) matches.push(member);
      }
    } while (cursor !== '0');
    const exact = matches.find((match) => match.id === ref);
    if (matches.length > 1 && exact === undefined) {
      const listed = matches.slice(0, 10).map((match) => `${match.id} (${match.pipeline})`);
      throw new FlowError('E_AMBIGUOUS', `run id prefix "${ref}" matches ${matches.length} runs: ${listed.join(', ')}`, { hint: 'give more of the id' });
    }
    const chosen = exact ?? matches[0];
    const record = chosen === undefined ? undefined : await this.get(chosen.pipeline, chosen.id);
    if (record === undefined) throw new FlowError('E_RUN_NOT_FOUND', `no run ${ref} in the cluster's history`, { hint: 'list runs with `flow history`' });
    return record;
  }

  /** A pipeline's newest run. */
  async latest(pipeline: string): Promise<RunRecord> {
    const [latest] = await this.list({ pipeline, limit: 1 });
    if (latest === undefined) throw new FlowError('E_RUN_NOT_FOUND', `pipeline ${pipeline} has no runs in the cluster's history`, { hint: 'list runs with `flow history`' });
    return latest;
  }

  /** The tail of an attempt's output as Redis keeps it; undefined when none was kept (still running, or pruned). */
  async log(pipeline: string, id: string, task: string, attempt: number): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.logs(pipeline, id), `${task}.${attempt}`)) ?? undefined;
  }

  /** Runs still running, with the scheduler that owns each. */
  async running(): Promise<OwnedRun[]> {
    const all = await this.redis.hgetall(this.keys.running);
    return Object.entries(all).map(([member, owner]) => ({ ...parseMember(member), owner }));
  }

  /** Writes an ended record back whole (a run whose owner died, marked interrupted), no longer running. */
  async replace(record: RunRecord): Promise<void> {
    await this.redis.multi().set(this.keys.run(record.pipeline, record.id), JSON.stringify(record)).hdel(this.keys.running, runMember(record.pipeline, record.id)).exec();
  }

  /** Forgets a run as running (its record is gone). */
  async forget(pipeline: string, id: string): Promise<void> {
    await this.redis.hdel(this.keys.running, runMember(pipeline, id));
  }
}

function parseRecord(text: string | null): RunRecord | undefined {
  if (text === null) return undefined;
  try {
    const checked = check(runRecordShape, JSON.parse(text));
    return checked.success ? (checked.data as unknown as RunRecord) : undefined;
  } catch {
    return undefined;
  }
}
