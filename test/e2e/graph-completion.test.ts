import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { FLOW_BIN, fixture } from '../helpers/flow.js';
import { runsOf } from '../helpers/daemon.js';

const DIAMOND = 'tasks:\n  extract:\n    run: "true"\n  "clean-up":\n    run: exit 1\n    depends_on: [extract]\n  load:\n    run: "true"\n    depends_on: [extract]\n  report:\n    run: "true"\n    depends_on: ["clean-up", load]\n';

describe('flow graph', () => {
  test('prints the DAG as Mermaid and DOT, coloured by a run with --run', async () => {
    const f = fixture({ 'pipelines/etl.flow.yaml': DIAMOND });
    const mermaid = await f.flow(['graph', 'etl']);
    expect(mermaid.stdout).toBe('flowchart LR\n  t0["extract"]\n  t1["clean-up"]\n  t2["load"]\n  t3["report"]\n  t0 --> t1\n  t0 --> t2\n  t1 --> t3\n  t2 --> t3\n');
    const dot = await f.flow(['graph', 'etl', '--format', 'dot']);
    expect(dot.stdout).toContain('digraph "etl" {');
    expect(dot.stdout).toContain('"clean-up" -> "report";');
    expect((await f.flow(['run', 'etl'])).code).toBe(1);
    const [run] = await runsOf(f, 'etl');
    const coloured = await f.flow(['graph', 'etl', '--format', 'dot', '--run', (run?.id ?? '').slice(0, 20)]);
    expect(coloured.stdout).toMatch(/"clean-up" \[label="clean-up\\nfailed", fillcolor="#f38ba8"\];/);
    expect(coloured.stdout).toMatch(/"report" \[label="report\\nupstream_failed"/);
    const latest = await f.flow(['graph', 'etl', '--run']);
    expect(latest.stdout).toContain('class t1 failed');
    const bad = await f.flow(['graph', 'etl', '--format', 'svg']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('flow: --format: expected one of mermaid, dot, got "svg"\n');
    if (spawnSync('dot', ['-V']).status === 0) {
      expect(execFileSync('dot', ['-Tsvg'], { input: coloured.stdout }).toString()).toContain('<svg');
    }
  });
});

describe('flow completion', () => {
  test('bash completes commands, options, pipeline names, task names and run ids', async () => {
    const f = fixture({ 'pipelines/etl.flow.yaml': DIAMOND, 'pipelines/backup.flow.yaml': 'tasks:\n  backup:\n    run: "true"\n' });
    expect((await f.flow(['run', 'backup'])).code).toBe(0);
    const [run] = await runsOf(f, 'backup');
    const script = (await f.flow(['completion', 'bash'])).stdout;
    writeFileSync(f.path('flow.bash'), script);
    // A `flow` on PATH that is the built binary, as a user's would be.
    writeFileSync(f.path('flow'), `#!/bin/sh\nexec "${process.execPath}" "${FLOW_BIN}" "$@"\n`, { mode: 0o755 });
    const complete = (line: string): string[] => {
      const words = line.split(' ');
      const program = `source ./flow.bash; COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _flow; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const out = execFileSync('bash', ['-c', program], { cwd: f.dir, env: { ...f.env, PATH: `${f.dir}:${f.env.PATH ?? ''}` } }).toString();
      return out.split('\n').filter(Boolean).sort();
    };
    expect(complete('flow tri')).toEqual(['trigger']);
    expect(complete('flow run ')).toEqual(['backup', 'etl']);
    expect(complete('flow run etl --con')).toEqual(['--concurrency']);
    expect(complete('flow run etl --only ')).toEqual(['clean-up', 'extract', 'load', 'report']);
    expect(complete('flow show 2')).toEqual([run?.id]);
    expect(complete('flow graph etl --format ')).toEqual(['dot', 'mermaid']);
    expect(complete('flow hooks ')).toEqual(['test']);
    for (const shell of ['zsh', 'fish']) {
      const result = await f.flow(['completion', shell]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(shell === 'fish' ? 'complete -c flow -n __fish_use_subcommand -a trigger' : 'complete -F _flow flow');
    }
    const bad = await f.flow(['completion', 'tcsh']);
    expect(bad.stderr).toBe('flow: completion: expected bash, zsh or fish, got "tcsh"\n');
  });
});
