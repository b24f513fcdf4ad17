/** Opening the history store from a command: FLOW_HOME from the environment, warnings as one line on stderr. */
import { HistoryStore } from '../store/history.js';
import { flowHome } from '../util/paths.js';
import { writeLine, type Io } from './ui.js';

export function openStore(io: Io): Promise<HistoryStore> {
  return HistoryStore.open(flowHome(io.env), { warn: (message) => writeLine(io.stderr, `flow: warning: ${message}`) });
}
