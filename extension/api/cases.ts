// The REST calls of the run panel's Cases tab and History's replay: a prompt's test cases (list,
// add, change, delete, save a past run as a case) and replaying a run on another version. Through
// api/http.ts like the other clients: no `vscode`, the session cookie read on every call, the same
// three errors, so it is tested against the real service.
//
// Bodies are passed on as the caller gives them and checked by the service, not here: a refused
// value (a regex that could take exponential time, a negative limit) comes back as the service's
// 400 naming the field, which the panel shows next to that field.
import { Deleted, TestCase, TestCaseList, TestRun, type CreateCaseBody, type ExpectationKind, type ListPage } from '../../contract/index.ts';
import { ServiceHttp, type HttpOptions } from './http.ts';

/** An expectation as typed in the panel; the service checks its value against its kind. */
export interface ExpectationInput {
  kind: ExpectationKind;
  value: string | number | boolean;
}

/** A case's fields as sent: the contract's body with expectations left for the service to check. */
export interface CaseFields {
  name?: string;
  inputVariables?: Record<string, string>;
  input?: string | null;
  expectations?: ExpectationInput[];
}

export class CasesClient {
  private readonly http: ServiceHttp;

  /** `http`: the extension's one connection; options make a client of its own (tests). */
  constructor(http: ServiceHttp | HttpOptions) {
    this.http = http instanceof ServiceHttp ? http : new ServiceHttp(http);
  }

  /** A prompt's cases, newest first (the service does not page them). */
  listCases(promptId: string): Promise<ListPage<TestCase>> {
    return this.http.request('GET', `/api/prompts/${encodeURIComponent(promptId)}/cases`, TestCaseList);
  }

  createCase(promptId: string, body: CaseFields & { name: string }): Promise<TestCase> {
    return this.http.request('POST', `/api/prompts/${encodeURIComponent(promptId)}/cases`, TestCase, { body });
  }

  /** A past run's variables and input saved as a case of its prompt; the service names it when `name` is absent. */
  caseFromRun(promptId: string, runId: string, name?: string): Promise<TestCase> {
    const body: Pick<CreateCaseBody, 'fromRunId' | 'name'> = { fromRunId: runId, ...(name ? { name } : {}) };
    return this.http.request('POST', `/api/prompts/${encodeURIComponent(promptId)}/cases`, TestCase, { body });
  }

  /** Only the fields given change; `expectations` replaces the whole list. */
  updateCase(caseId: string, body: CaseFields): Promise<TestCase> {
    return this.http.request('PATCH', `/api/cases/${encodeURIComponent(caseId)}`, TestCase, { body });
  }

  async deleteCase(caseId: string): Promise<void> {
    await this.http.request('DELETE', `/api/cases/${encodeURIComponent(caseId)}`, Deleted);
  }

  /** A new queued run with the run's model, params, variables and input, on `promptVersionId` (default: the current version). */
  replayRun(runId: string, promptVersionId?: string): Promise<TestRun> {
    return this.http.request('POST', `/api/test-runs/${encodeURIComponent(runId)}/replay`, TestRun, { body: promptVersionId ? { promptVersionId } : {} });
  }
}
