// Named prepared statements on the embedded database, which its query() does not offer: each
// query() sends Parse, Describe, Bind, Describe, Execute and Sync as six calls into PostgreSQL's
// WebAssembly, and parses and plans the SQL every time. A run's insert and its result's write
// (run-statements.ts) are on every run's path, where that cost about 0.4 ms each (issue 13, P1):
// here a statement is parsed and described once, then each execution is one call of Bind, Execute
// and Sync.
//
// Values go in and come out as query() has them: each parameter through PGlite's serializer for
// the type PostgreSQL inferred, each column through its parser for the column's type. Errors are
// PGlite's own DatabaseError (execProtocol throws them), with the SQLSTATE the callers test.
import { types, type PGlite } from '@electric-sql/pglite';
// node-postgres' own wire-protocol writer (a dependency of pg), for the few messages sent here.
import { serialize } from 'pg-protocol';

interface Prepared {
  paramTypes: number[];
  columns: { name: string; type: number }[];
}

/** The messages execProtocol answers with, as far as they are read here. */
interface BackendMessage {
  name: string;
  dataTypeIDs?: number[];
  fields?: unknown[];
}

/** Parse (named, types left to PostgreSQL) and Describe the statement, then Sync. */
const parseAndDescribe = (name: string, text: string) =>
  Buffer.concat([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]);

/** Bind the statement's values (text format) to the unnamed portal, Execute it, and Sync. */
const bindAndExecute = (name: string, values: (string | null)[]) =>
  Buffer.concat([serialize.bind({ statement: name, values }), serialize.execute(), serialize.sync()]);

/** Runs statements by name on one PGlite, preparing each the first time it is run. */
export class PglitePreparedStatements {
  private readonly prepared = new Map<string, Promise<Prepared>>();

  constructor(private readonly client: PGlite) {}

  /** The rows of `text` (prepared as `name`) run with `values`, keyed by column name. */
  async query(name: string, text: string, values: unknown[]): Promise<Record<string, unknown>[]> {
    const statement = await this.prepare(name, text);
    const serialized = values.map((value, i) => {
      if (value === null || value === undefined) return null;
      const type = statement.paramTypes[i] as number;
      const serialize = this.client.serializers[type];
      return serialize ? serialize(value) : String(value);
    });
    // As query() does: no other query, and no transaction, runs in between.
    const { messages } = await this.exclusive(() => this.client.execProtocol(bindAndExecute(name, serialized)));
    const rows: Record<string, unknown>[] = [];
    for (const m of messages as BackendMessage[]) {
      if (m.name !== 'dataRow' || !m.fields) continue;
      const row: Record<string, unknown> = {};
      statement.columns.forEach((column, i) => {
        row[column.name] = types.parseType((m.fields?.[i] ?? null) as string | null, column.type, this.client.parsers);
      });
      rows.push(row);
    }
    return rows;
  }

  private prepare(name: string, text: string): Promise<Prepared> {
    let statement = this.prepared.get(name);
    if (!statement) {
      statement = this.exclusive(() => this.client.execProtocol(parseAndDescribe(name, text))).then(({ messages }) => {
        const list = messages as BackendMessage[];
        const params = list.find((m) => m.name === 'parameterDescription');
        const row = list.find((m) => m.name === 'rowDescription') as { fields?: { name: string; dataTypeID: number }[] } | undefined;
        return {
          paramTypes: params?.dataTypeIDs ?? [],
          columns: (row?.fields ?? []).map((f) => ({ name: f.name, type: f.dataTypeID })),
        };
      });
      // A failed Parse leaves nothing prepared: the next call tries again (and says why again).
      statement.catch(() => this.prepared.delete(name));
      this.prepared.set(name, statement);
    }
    return statement;
  }

  private exclusive<T>(run: () => Promise<T>): Promise<T> {
    return this.client._runExclusiveTransaction(() => this.client._runExclusiveQuery(run));
  }
}
