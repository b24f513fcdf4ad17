/**
 * What the daemon and its pipeline loader (server.ts) say to each other: the daemon writes the files to load as one
 * JSON array on the loader's input and closes it; the loader writes one reply, in V8's serialization format
 * (node:v8, the structured clone algorithm: `undefined` and `Infinity` survive, as JSON would not let them), on its
 * output and ends.
 */
import type { FlowErrorCode } from '../../errors.js';
import type { CatalogLoads } from './job.js';

/** The loaded files, in the order asked, and their zones' tables; or why loading stopped (a file that cannot be read). */
export type LoadReply = CatalogLoads | { failure: { code: FlowErrorCode; message: string } };

/** The single executable starts itself as the loader with this as its only argument (src/sea.ts). */
export const LOADER_ARGUMENT = '__flow-load-pipelines';
