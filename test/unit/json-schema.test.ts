import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { pipelineJsonSchema } from '../../src/pipeline/schema.js';
import { ROOT } from '../helpers/flow.js';

test('schema/pipeline.schema.json matches the pipeline schema (run `npm run schema` after changing it)', () => {
  const committed: unknown = JSON.parse(readFileSync(`${ROOT}/schema/pipeline.schema.json`, 'utf8'));
  expect(committed).toEqual(pipelineJsonSchema());
});
