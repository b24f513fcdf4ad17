// FLOW_BUILD: a digest of what decides how flow validates a pipeline — its sources and its locked dependencies —
// defined into both builds. The cache of validated pipelines (src/pipeline/cache.ts) is keyed by it, so a rebuild
// that changes a rule never serves what the previous build accepted, while the version number stays the same.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function buildId(rootUrl) {
  const root = new URL('.', rootUrl).pathname;
  const hash = createHash('sha256');
  const files = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
  for (const file of [...files, join(root, 'package-lock.json')]) hash.update(`${file.slice(root.length)}\0`).update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}
