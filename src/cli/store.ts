/** Opening the history store from a command that only reads it (it works on a read-only or full FLOW_HOME). */
import type { HistoryStore } from '../store/history.js';
import { openServices } from './services.js';
import type { Io } from './ui.js';

export async function openStore(io: Io): Promise<HistoryStore> {
  return (await openServices(io, { write: false })).store;
}
