/** Opening the history store from a command that only reads or prunes it. */
import type { HistoryStore } from '../store/history.js';
import { openServices } from './services.js';
import type { Io } from './ui.js';

export async function openStore(io: Io): Promise<HistoryStore> {
  return (await openServices(io)).store;
}
