/**
 * The pipeline loader's process: reads the files to load on its input (protocol.ts), loads them, writes the reply
 * on its output and ends, and with it every module and every byte that loading needed. Started by the daemon only
 * (client.ts); never by a user.
 */
import { serialize } from 'node:v8';
import { FlowError } from '../../errors.js';
import { loadForCatalog, type LoadRequest } from './job.js';
import type { LoadReply } from './protocol.js';

export async function serveLoader(): Promise<void> {
  process.title = 'flow-loader';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const requests = JSON.parse(Buffer.concat(chunks).toString('utf8')) as LoadRequest[];
  let reply: LoadReply;
  try {
    reply = await loadForCatalog(requests);
  } catch (error) {
    // Anything but a FlowError is a bug: it goes to the daemon as the loader's crash, with its stack.
    if (!(error instanceof FlowError)) throw error;
    reply = { failure: { code: error.code, message: error.message } };
  }
  process.stdout.write(serialize(reply));
}
