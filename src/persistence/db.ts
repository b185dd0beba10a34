import { openDB, type IDBPDatabase } from 'idb';
import { SCHEMA_VERSION } from '../core/model';
import { runMigrations, type UpgradeDb, type UpgradeTx } from './migrations';
import { DB_NAME, type TallySchema } from './schema';

export type TallyDb = IDBPDatabase<TallySchema>;

export interface OpenOptions {
  /** Another tab opened a newer Tally: this connection must close; the app asks for a reload. */
  onOutdated?: () => void;
  /** A newer Tally in another tab waits for this one to close before it can upgrade. */
  onBlockingUpgrade?: () => void;
}

/** Opens (creating or upgrading) Tally's database. The one place that knows the version. */
export async function openTallyDb(name = DB_NAME, options: OpenOptions = {}): Promise<TallyDb> {
  const db = await openDB<TallySchema>(name, SCHEMA_VERSION, {
    upgrade(database, oldVersion, newVersion, tx) {
      // A failed step aborts the upgrade (the open then fails and the database keeps its old version).
      runMigrations(database as unknown as UpgradeDb, tx as unknown as UpgradeTx, oldVersion, newVersion ?? SCHEMA_VERSION).catch((e: unknown) => console.error('Tally: database upgrade failed', e));
    },
    blocking() {
      // Close so the other tab's upgrade can proceed; this tab can no longer write.
      db.close();
      options.onOutdated?.();
    },
    blocked() {
      options.onBlockingUpgrade?.();
    },
  });
  return db;
}
