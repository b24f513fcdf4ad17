/**
 * Airflow's own example DAGs, ported to flow (examples/), end in the task states Airflow gives them. The expected
 * states are Airflow's, read from the DAGs' source (airflow-core/src/airflow/example_dags) and its docs:
 * - example_bash_operator: `this_will_skip` exits 99, BashOperator's skip_on_exit_code, so it is skipped; its
 *   downstream `run_this_last` keeps the default all_success rule, which skips a task after a skipped upstream
 *   ("All upstream tasks have succeeded"; trigger_rule_dep.py sets SKIPPED when any upstream was skipped).
 * - example_branch_operator: the branch chosen and everything after it runs, the other branches' tasks are
 *   skipped (BranchMixIn.skip_all_except, then all_success after a skipped task), and each join runs under
 *   none_failed_min_one_success ("All upstream tasks have not failed or upstream_failed, and at least one upstream
 *   task has succeeded").
 */
import { describe, expect, test } from 'vitest';
import { ROOT, fixture } from '../helpers/flow.js';
import { states, type RunJson } from '../helpers/run-json.js';

const AIRFLOW_BASH_OPERATOR_STATES = {
  runme_0: 'success',
  runme_1: 'success',
  runme_2: 'success',
  run_after_loop: 'success',
  also_run_this: 'success',
  this_will_skip: 'skipped',
  run_this_last: 'skipped',
};

/** Airflow's states when `branching` returns branch_b and `branching_ext_python` returns ext_py_d. */
const AIRFLOW_BRANCH_OPERATOR_STATES = {
  run_this_first: 'success',
  branching: 'success',
  branch_a: 'skipped',
  branch_b: 'success',
  branch_c: 'skipped',
  branch_d: 'skipped',
  follow_a: 'skipped',
  follow_b: 'success',
  follow_c: 'skipped',
  follow_d: 'skipped',
  join: 'success',
  branching_ext_python: 'success',
  ext_py_a: 'skipped',
  ext_py_b: 'skipped',
  ext_py_c: 'skipped',
  ext_py_d: 'success',
  join_ext_python: 'success',
};

describe('Airflow example DAGs, ported', () => {
  test('example_bash_operator ends as in Airflow', async () => {
    const f = fixture();
    const result = await f.flow(['run', `${ROOT}/examples/example_bash_operator.flow.yaml`, '--json']);
    expect(result.stderr).toBe('');
    const run = JSON.parse(result.stdout) as RunJson;
    expect(states(run)).toEqual(AIRFLOW_BASH_OPERATOR_STATES);
    // flow's run status: no task failed, so success (Airflow's leaf rule agrees: its one leaf was skipped, not failed).
    expect(run.status).toBe('success');
    expect(result.code).toBe(0);
  });

  test('example_branch_operator ends as in Airflow for the branches chosen', async () => {
    const f = fixture();
    const result = await f.flow(['run', `${ROOT}/examples/example_branch_operator.flow.yaml`, '--json'], {
      env: { BRANCH: 'b', EXT_BRANCH: 'd' },
    });
    expect(result.stderr).toBe('');
    const run = JSON.parse(result.stdout) as RunJson;
    expect(states(run)).toEqual(AIRFLOW_BRANCH_OPERATOR_STATES);
    expect(run.status).toBe('success');
  });

  test('example_branch_operator with random choices: one path of each four runs, the joins succeed', async () => {
    const f = fixture();
    const result = await f.flow(['run', `${ROOT}/examples/example_branch_operator.flow.yaml`, '--json']);
    const got = states(JSON.parse(result.stdout) as RunJson);
    expect(['a', 'b', 'c', 'd'].filter((x) => got[`branch_${x}`] === 'success')).toHaveLength(1);
    expect(['a', 'b', 'c', 'd'].filter((x) => got[`ext_py_${x}`] === 'success')).toHaveLength(1);
    expect(got).toMatchObject({ join: 'success', join_ext_python: 'success' });
  });
});
