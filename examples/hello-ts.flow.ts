// A TypeScript pipeline: the same keys as YAML, and tasks may be async functions.
// Run it with `flow run examples/hello-ts.flow.ts`.
import { definePipeline } from 'flow';

export default definePipeline({
  name: 'hello-ts',
  description: 'A shell task, then a function task that reads its output',
  tasks: {
    fetch: {
      run: 'echo "42 orders on $FLOW_DS" > "${TMPDIR:-/tmp}/flow-hello-$FLOW_RUN_ID.txt"',
    },
    summarize: {
      depends_on: ['fetch'],
      retries: 1,
      run: async (ctx) => {
        const { readFile } = await import('node:fs/promises');
        const text = await readFile(`${ctx.env.TMPDIR ?? '/tmp'}/flow-hello-${ctx.runId}.txt`, 'utf8');
        ctx.log(`run ${ctx.runId} for ${ctx.ds}: ${text.trim()}`);
      },
    },
  },
});
