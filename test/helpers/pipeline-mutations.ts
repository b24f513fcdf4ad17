/**
 * Mutated pipeline files for the fuzz test: valid pipelines, then byte flips, deleted and repeated lines, values of
 * the wrong type, alias bombs, huge strings, deep nesting and odd Unicode. Everything comes from one seed, so a
 * failing file can be made again from the seed and its index.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { int, pick, seeded, type Random } from './cron-random.js';

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');

export interface Mutant {
  name: string;
  /** What was done to the base file, for the failure message. */
  steps: string[];
  bytes: Buffer;
}

const FULL = `# every key, with anchors, flow style and block scalars
name: full-example
description: |
  Nightly ETL.
  Two lines.
tags: [etl, nightly]
schedule: "*/15 2-4 * * 1-5"
timezone: Europe/Berlin
concurrency: 2
env: { STAGE: prod, RETRIES: 3, DEBUG: false }
inherit_env: true
hook_timeout: 30s
overlap: queue
max_active_runs: 2
catchup: latest
catchup_limit: 10
on_failure: echo "failed $FLOW_RUN_ID" >&2
on_success: [echo one, echo two]
defaults: &defaults
  retries: 2
  retry_delay: 1s
  retry_backoff: exponential
  max_retry_delay: 1h
  timeout: 1h30m
  kill_grace: 10s
tasks:
  extract:
    run: ./extract.sh --date "$FLOW_DS"
    description: pull the data
    cwd: .
    shell: /bin/bash
    env:
      SOURCE: s3://bucket/path
  transform:
    <<: *defaults
    run: >
      python3 transform.py
      --fast
    depends_on: [extract]
    trigger_rule: all_success
    stdin: "input text\\n"
  load:
    run: ./load.sh
    depends_on:
      - transform
    on_retry: echo retrying
  report: { run: 'echo "done"', depends_on: [load], trigger_rule: all_done }
  join:
`;

const SMALL = 'schedule: "@daily"\ntasks:\n  a:\n    run: echo a\n  b:\n    run: echo b\n    depends_on: [a]\n    timeout: 5m\n';

function bases(): string[] {
  const examples = ['hello.flow.yaml', 'example_bash_operator.flow.yaml', 'example_branch_operator.flow.yaml'];
  return [FULL, SMALL, ...examples.map((file) => readFileSync(join(EXAMPLES, file), 'utf8'))];
}

const WRONG_VALUES = [
  '[1, 2]', '{a: 1}', 'null', '~', '123', '-1', '0', '1e309', '-.inf', '.nan', 'true', '""', "''", '!!binary aGVsbG8=',
  '!!timestamp 2001-12-14', '0x1F', '0o17', '*undefined_alias', '&anchor', '!custom tag', '"\\u0000"', '"\\x00\\x01"',
  '99999999999999999999d', '1e3s', '0.0000001ms', '-1s', '30d', '366d', '1.5', '1h1h1h1h', '"  30s  "', '__proto__',
  'constructor', '[constructor]', '[__proto__, toString]', '"../../../etc/passwd"', 'Etc/GMT+99', '"UTC\\u0000"',
  '"61 * * * *"', '"* * * * * * *"', '"@every 5m"', '"0 0 30 2 *"', '"*/0 * * * *"', '"1-99999999999 * * * *"', '@reboot',
  '"L W # ?"', '|\n    multi\n    line', '>-\n    folded', '? complex\n  : key', '[[[]]]', '{{}}', '- a\n- b',
];

const ODD_UNICODE = ['\u0000', '\uFEFF', '\u2028', '\u2029', '\u202E', '\u0301\u0301\u0301', '\u{1F600}', '\uD800', '\uDFFF', '\u200D',
  '\uFF1A', '\u00A0', '\r\n', '\r', '\t', '\u0085', '\u{E0001}', 'İ', 'ß', '\u0131'];

const KEYS = ['name', 'schedule', 'timezone', 'run', 'depends_on', 'retries', 'retry_delay', 'timeout', 'kill_grace', 'hook_timeout',
  'cwd', 'shell', 'env', 'tasks', 'defaults', 'on_failure', 'trigger_rule', 'user', 'description', 'catchup', 'concurrency', 'stdin'];

type Mutation = (text: string, random: Random) => [string, string];

const lineEdit = (what: string, edit: (lines: string[], at: number, random: Random) => void): Mutation => (text, random) => {
  const lines = text.split('\n');
  const at = int(random, 0, Math.max(0, lines.length - 1));
  edit(lines, at, random);
  return [lines.join('\n'), `${what} at line ${at + 1}`];
};

function hugeString(random: Random): string {
  const size = pick(random, [10_000, 100_000, 400_000, 1_000_000, 1_100_000]);
  const unit = pick(random, ['A', '1', '1s', '1.', '9', ' ', '*', ',', 'é', '日', '\u{1F600}', 'a-', '0,', '"', '\\']);
  return unit.repeat(Math.ceil(size / unit.length));
}

const MUTATIONS: Record<string, Mutation> = {
  flip: (text, random) => {
    const bytes = Buffer.from(text);
    const count = int(random, 1, 8);
    for (let i = 0; i < count && bytes.length > 0; i++) bytes[int(random, 0, bytes.length - 1)] = int(random, 0, 255);
    return [bytes.toString('latin1'), `${count} byte flips`];
  },
  delete: lineEdit('deleted a line', (lines, at) => lines.splice(at, 1)),
  repeat: lineEdit('repeated a line', (lines, at) => lines.splice(at, 0, lines[at] ?? '')),
  swap: lineEdit('swapped lines', (lines, at, random) => {
    const other = int(random, 0, lines.length - 1);
    [lines[at], lines[other]] = [lines[other] ?? '', lines[at] ?? ''];
  }),
  indent: lineEdit('re-indented a line', (lines, at, random) => (lines[at] = `${' '.repeat(int(random, 0, 9))}${(lines[at] ?? '').trimStart()}`)),
  wrongType: (text, random) => {
    const value = pick(random, WRONG_VALUES);
    const key = pick(random, KEYS);
    const pattern = new RegExp(`^(\\s*-?\\s*${key}:)[^\\n]*$`, 'm');
    if (pattern.test(text)) return [text.replace(pattern, `$1 ${value}`), `${key}: ${value}`];
    return [`${text.trimEnd()}\n${key}: ${value}\n`, `appended ${key}: ${value}`];
  },
  taskValue: (text, random) => {
    const key = pick(random, KEYS);
    const value = pick(random, WRONG_VALUES);
    return [text.replace(/^tasks:\s*$/m, `tasks:\n  fuzzed:\n    ${key}: ${value}`), `task key ${key}: ${value}`];
  },
  aliasBomb: (text, random) => {
    const depth = int(random, 3, 12);
    const width = int(random, 2, 10);
    const lines = [`l0: &l0 [${Array.from({ length: width }, () => '"lol"').join(', ')}]`];
    for (let i = 1; i < depth; i++) lines.push(`l${i}: &l${i} [${Array.from({ length: width }, () => `*l${i - 1}`).join(', ')}]`);
    const use = pick(random, [`description: *l${depth - 1}`, `tags: *l${depth - 1}`, `env: {X: *l${depth - 1}}`]);
    return [`${lines.join('\n')}\n${use}\n${text}`, `alias bomb ${width}^${depth}`];
  },
  alias: (text, random) => {
    const snippet = pick(random, ['run: *nope', 'run: *later\n  b:\n    run: &later echo', 'depends_on: &s [*s]', '<<: *nope', '<<: 5', '<<: [*x]', 'run: !!str *a']);
    return [text.replace(/^(\s+)run:[^\n]*$/m, `$1${snippet.replace(/\n/g, '\n')}`), `alias: ${snippet}`];
  },
  huge: (text, random) => {
    const big = hugeString(random);
    const key = pick(random, KEYS);
    const where = pick(random, ['value', 'quoted', 'key', 'task id', 'list']);
    if (where === 'key') return [`${JSON.stringify(big)}: 1\n${text}`, `huge key (${big.length})`];
    if (where === 'task id') return [text.replace(/^tasks:\s*$/m, `tasks:\n  ${JSON.stringify(big)}: {run: echo}`), `huge task id (${big.length})`];
    if (where === 'list') return [text.replace(/^tasks:\s*$/m, `tasks:\n  z:\n    depends_on: [${JSON.stringify(big)}]`), `huge dependency (${big.length})`];
    const shown = where === 'quoted' ? JSON.stringify(big) : big.replace(/^[\s"\\*]+/, 'x');
    const pattern = new RegExp(`^(\\s*${key}:)[^\\n]*$`, 'm');
    const out = pattern.test(text) ? text.replace(pattern, () => `${key}: ${shown}`) : `${key}: ${shown}\n${text}`;
    return [out, `huge ${where} ${key} (${big.length})`];
  },
  manyTasks: (text, random) => {
    // Large enough that anything quadratic shows (10,000 tasks: 10^8 steps); 20,000 are in hostile-input.test.ts.
    const count = pick(random, [1000, 3000, 10_000]);
    const chained = random() < 0.5;
    const tasks = Array.from({ length: count }, (_, i) => `  t${i}: {run: "true"${chained && i + 1 < count ? `, depends_on: [t${i + 1}]` : ''}}`);
    return [`tasks:\n${tasks.join('\n')}\n`, `${count} tasks${chained ? ' in a chain' : ''}`];
  },
  deep: (text, random) => {
    const depth = pick(random, [100, 1000, 5000, 50_000]);
    const style = pick(random, ['[', '{a: ', 'indent']);
    if (style === 'indent') {
      const nested = Array.from({ length: Math.min(depth, 2000) }, (_, i) => `${' '.repeat(i + 4)}k${i}:`).join('\n');
      return [text.replace(/^tasks:\s*$/m, `tasks:\n  deep:\n${nested} x`), `nested ${Math.min(depth, 2000)} mappings by indentation`];
    }
    const close = style === '[' ? ']' : '}';
    const key = pick(random, KEYS);
    return [`${key}: ${style.repeat(depth)}1${close.repeat(depth)}\n${text}`, `${key} nested ${depth} deep with ${style}`];
  },
  unicode: (text, random) => {
    const odd = pick(random, ODD_UNICODE);
    const at = int(random, 0, text.length);
    const whole = random() < 0.2;
    return [whole ? text.split(' ').join(odd) : `${text.slice(0, at)}${odd}${text.slice(at)}`, `${JSON.stringify(odd)} ${whole ? 'for every space' : `at ${at}`}`];
  },
  syntax: (text, random) => {
    const odd = pick(random, [':', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '#', '- ', '? ', '---\n', '...\n', '%YAML 1.1\n', '\t']);
    const at = int(random, 0, text.length);
    return [`${text.slice(0, at)}${odd}${text.slice(at)}`, `inserted ${JSON.stringify(odd)} at ${at}`];
  },
  truncate: (text, random) => {
    const at = int(random, 0, text.length);
    return [text.slice(0, at), `cut at ${at}`];
  },
  crlf: (text) => [text.replace(/\n/g, '\r\n'), 'CRLF line ends'],
};

const NAMES = Object.keys(MUTATIONS);
const RARE = new Set(['huge', 'manyTasks', 'deep']);

/** `count` mutants, the same ones for the same seed. */
export function* mutants(seed: number, count: number): Generator<Mutant> {
  const random = seeded(seed);
  const corpus = bases();
  for (let index = 0; index < count; index++) {
    let text = pick(random, corpus);
    const steps: string[] = [];
    const rounds = int(random, 1, 3);
    for (let round = 0; round < rounds; round++) {
      let name = pick(random, NAMES);
      // Files of a megabyte cost time and disk: about one in twenty-five.
      if (RARE.has(name) && random() < 0.8) name = pick(random, ['flip', 'wrongType', 'delete', 'alias', 'syntax']);
      const mutation = MUTATIONS[name] as Mutation;
      const [next, step] = mutation(text, random);
      text = next;
      steps.push(`${name}: ${step}`);
    }
    // Byte flips work on bytes; keep them (invalid UTF-8 included) by writing latin1 text as bytes.
    const bytes = steps.some((step) => step.startsWith('flip')) ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
    yield { name: `fuzz-${String(index).padStart(4, '0')}.flow.yaml`, steps, bytes };
  }
}
