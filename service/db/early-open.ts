// Opening the embedded database before the rest of the service is loaded (`npm start`, main.ts).
// A warm start spends about half a second of CPU opening it (Postgres in WebAssembly starting).
// Run from the sources (`node --import tsx service/main.ts`), loading the service's modules mostly
// waits for tsx's loader thread: the two overlap. From npm start's bundle, whose modules are loaded
// already, the opening starts as soon as the settings are read.
import { openDatabase, type DatabaseHandle } from './connect.ts';

export interface EarlyDatabase {
  opening: Promise<DatabaseHandle>;
  /** Entries made private when the folder was opened (read once `opening` resolved). */
  repairedEntries(): number;
}

export function openEmbeddedEarly(dataDir: string): EarlyDatabase {
  let repaired = 0;
  const opening = openDatabase({ dataDir, onDataDirRepaired: (entries) => (repaired = entries) });
  // startService awaits it; until then a failure (a busy folder) must not count as unhandled.
  opening.catch(() => undefined);
  return { opening, repairedEntries: () => repaired };
}
