// The panel as a reader sees it: every tab usable in a 400 px wide panel (nothing cut off, tables
// scrolling in their own box, every Compare button reachable, times on one line), every text at
// least 4.5:1 against its background in the Light, Dark and High Contrast themes, the history
// detail brought into view, and a finished run's usage visible in a 900 px high panel.
import assert from 'node:assert/strict';
import type { TestRun, UsageReport } from '../../contract/index.ts';
import { PROMPT_ID, aRun, panelData, queued, V1 } from './support/fixtures.ts';
import type { FakeHost } from './support/harness.ts';
import { contrastProblems, cutText, linesOf } from './support/measure.ts';
import { useWebview } from './support/suite.ts';
import { action, field, stat, tab, type } from './support/ui.ts';
import type { ThemeName } from './support/themes.ts';

const older = aRun({
  promptVersionId: V1.id,
  versionNumber: 1,
  model: 'gpt-5.4-mini',
  output: 'Echo: the diff is fine',
  inputVariables: { diff: '+ a line' },
  costUsd: 0.001039,
  latencyMs: 900,
  createdAt: '2026-11-27T10:01:00.000Z',
});
const newer = aRun({ params: { reasoningEffort: 'high' }, latencyMs: 61_250, createdAt: '2026-11-27T10:20:00.000Z' });
const failed = aRun({ status: 'failed', output: null, usage: null, costUsd: null, error: { code: 'server_error', message: 'The server had an error.', status: 500 }, createdAt: '2026-11-27T10:30:00.000Z' });
const canceled = aRun({ status: 'canceled', output: null, usage: null, costUsd: null, error: { code: 'CANCELED', message: 'The run was canceled.', status: null }, createdAt: '2026-11-27T10:40:00.000Z' });
const RUNS = [canceled, failed, newer, older];
const CASES = [
  {
    id: '0b4f5f3e-7d3a-4a57-9d55-2d1c0e6c7a11',
    promptId: PROMPT_ID,
    name: 'a long diff of a file with a rather long name that has to wrap in a narrow panel',
    inputVariables: { diff: '+ return computeTheTotalOfEverythingInTheOrderIncludingTaxesAndShipping(order);', language: 'English' },
    input: null,
    expectations: [{ kind: 'maxOutputTokens' as const, value: 200 }, { kind: 'regex' as const, value: '^LGTM' }],
    createdAt: '2026-11-27T10:00:00.000Z',
    updatedAt: '2026-11-27T10:00:00.000Z',
  },
];

/** The Cases tab with a case being edited and a limit flagged (not a number). */
async function flaggedCase(host: FakeHost): Promise<void> {
  const page = host.page;
  await tab(page, 'Cases');
  await page.locator('.case vscode-button[data-action="edit-case"]').first().click();
  await type(page, 'exp-0-value', 'two hundred');
  await action(page, 'save-case').click();
  await page.locator('.field[data-for="exp-0-value"].flagged').waitFor();
}

const usageRow = (key: string, input: number, output: number, cost: number, unpriced = 0) => ({
  key,
  label: key,
  runs: 1,
  inputTokens: input,
  cachedInputTokens: 0,
  outputTokens: output,
  reasoningTokens: 0,
  totalTokens: input + output,
  costUsd: cost,
  unpricedRuns: unpriced,
});
function usage(groupBy: UsageReport['groupBy']): UsageReport {
  return {
    groupBy,
    from: '2026-10-28T00:00:00.000Z',
    to: '2026-11-27T12:00:00.000Z',
    items: [usageRow('2026-11-26', 12_000, 3000, 0.075), usageRow('2026-11-27', 400, 100, 0.001039, 1)],
    totals: { ...usageRow('total', 12_400, 3100, 0.076039, 1), runs: 2 },
  };
}

const remembered = { variables: { diff: '+ a line', language: 'English' }, input: '', model: null, params: {} };

describe('Layout and contrast', () => {
  const suite = useWebview();

  const finished = aRun({ costUsd: 0.001039 });

  function open(options: { theme?: ThemeName; runs?: TestRun[]; run?: TestRun } = {}): Promise<FakeHost> {
    const done = options.run ?? finished;
    return suite.open(
      {
        load: () => panelData({ remembered }),
        listRuns: () => ({ items: options.runs ?? RUNS, nextCursor: null }),
        startRun: () => queued(done),
        watchRun: () => null,
        usage: ({ groupBy }) => usage(groupBy),
        copyText: () => null,
        listCases: () => ({ items: CASES, nextCursor: null }),
      },
      { theme: options.theme },
    );
  }

  /** A finished run on the Run tab (the state the tests look at first). */
  async function finishRun(host: FakeHost, run: TestRun = finished): Promise<void> {
    await action(host.page, 'run').click();
    await host.waitForRequest('watchRun');
    await host.push('runDone', { run });
    await host.page.locator('.run-status [data-status="succeeded"]').waitFor();
  }

  it('keeps every tab usable in a 400 px wide panel: nothing cut off, tables scroll in their own box', async () => {
    const host = await open();
    const page = host.page;
    await page.setViewportSize({ width: 400, height: 900 });
    const problems: string[] = [];
    const check = async (where: string) => {
      for (const cut of await cutText(page)) problems.push(`${where}: "${cut.text}" ${cut.why} (${cut.where})`);
      const [scrollWidth, clientWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      if (scrollWidth > clientWidth + 1) problems.push(`${where}: the page itself is ${scrollWidth} px wide in a ${clientWidth} px panel`);
    };

    await action(page, 'run').waitFor();
    await finishRun(host);
    await check('Run');

    await tab(page, 'History');
    await page.locator('table.runs tbody tr').nth(3).waitFor();
    await page.locator(`tr[data-run-id="${failed.id}"] td`).first().click();
    await page.locator('.run-detail [data-run-error="server_error"]').waitFor();
    await check('History');
    // The filters share rows (a grid), not one row each.
    const filterTops = await page.locator('.filters .field').evaluateAll((fields) => fields.map((f) => Math.round(f.getBoundingClientRect().top)));
    assert.ok(new Set(filterTops).size <= 2, `the four filters take ${new Set(filterTops).size} rows`);
    // Times stay on one line.
    assert.deepEqual(await linesOf(page, 'table.runs td.time'), [1, 1, 1, 1], 'each time on one line');
    // Every Compare button can be scrolled to and pressed.
    const compare = page.locator('table.runs vscode-button[data-action="pick-compare"]');
    assert.equal(await compare.count(), 4);
    for (let i = 0; i < 4; i++) {
      const button = compare.nth(i);
      await button.scrollIntoViewIfNeeded();
      assert.ok(await button.isVisible(), `Compare button ${i + 1} is visible`);
      const box = await button.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 400 + 1, `Compare button ${i + 1} lies inside the panel once scrolled to: ${JSON.stringify(box)}`);
      await button.click({ trial: true }); // nothing covers it: a click would reach it
    }
    await compare.nth(3).click();
    await compare.nth(2).click();

    await page.locator('.compare-body [data-slot="A"]').waitFor();
    await check('Compare');

    await flaggedCase(host);
    await check('Cases');

    await tab(page, 'Usage');
    await page.locator('.usage-table').waitFor();
    await check('Usage');

    await host.screenshot('narrow-400-usage-light');
    assert.deepEqual(problems, [], 'text cut off or out of reach at 400 px');
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`gives every text at least 4.5:1 contrast in the ${theme} theme, on every tab`, async () => {
      const host = await open({ theme });
      const page = host.page;
      const offenders: string[] = [];
      const check = async (where: string) => {
        for (const p of await contrastProblems(page)) offenders.push(`${where}: "${p.text}" ${p.ratio}:1 (${p.color} on ${p.background}) at ${p.where}`);
      };
      // The form with its problems flagged, then a finished run.
      await field(page, 'var:language').waitFor();
      await type(page, 'var:language', '');
      await action(page, 'run').click();
      await page.locator('.form-summary').getByText('Fill in {{language}}.').waitFor();
      await check('Run (flagged)');
      await type(page, 'var:language', 'English');
      await finishRun(host);
      await check('Run');

      await tab(page, 'History');
      await page.locator(`tr[data-run-id="${failed.id}"] td`).first().click();
      await page.locator('.run-detail [data-run-error="server_error"]').waitFor();
      await check('History');
      await page.locator(`tr[data-run-id="${canceled.id}"] td`).first().click();
      await page.locator('.run-detail [data-run-error="CANCELED"]').waitFor();
      await check('History (canceled)');

      await page.locator(`tr[data-run-id="${older.id}"] vscode-button[data-action="pick-compare"]`).click();
      await page.locator(`tr[data-run-id="${newer.id}"] vscode-button[data-action="pick-compare"]`).click();
      await page.locator('.compare-body [data-slot="A"]').waitFor();
      await check('Compare');

      await flaggedCase(host);
      await check('Cases (flagged)');

      await tab(page, 'Usage');
      await page.locator('.usage-table').waitFor();
      await check('Usage');
      await host.screenshot(`contrast-${theme}-usage`);
      assert.deepEqual(offenders, [], `text under 4.5:1 in the ${theme} theme`);
    });
  }

  it('brings a run picked in a long history into view', async () => {
    const many = Array.from({ length: 25 }, (_, i) => aRun({ createdAt: new Date(Date.parse('2026-11-27T10:00:00.000Z') - i * 60_000).toISOString() }));
    const host = await open({ runs: many });
    const page = host.page;
    await tab(page, 'History');
    const last = page.locator(`tr[data-run-id="${many[24]?.id}"] td`).first();
    await last.click();
    const heading = page.locator('.run-detail h3');
    await heading.waitFor();
    const inView = await heading.evaluate((h) => {
      const r = h.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    assert.ok(inView, 'the selected run’s detail is scrolled into view');
  });

  it('shows a finished run’s usage without scrolling past its output in a 900 px high panel, with one Run button', async () => {
    const long = aRun({ output: Array.from({ length: 80 }, (_, i) => `Line ${i + 1} of a long answer.`).join('\n'), costUsd: 0.001039 });
    const host = await open({ run: long });
    const page = host.page;
    await page.setViewportSize({ width: 1000, height: 900 });
    await finishRun(host, long);
    const cost = page.locator('[data-stat="cost"]').first();
    const inView = await cost.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    assert.ok(inView, 'the cost of the finished run is on screen');
    assert.equal(await stat(page, 'cost'), '$0.001039');
    await page.locator('[data-stat="summary"]').getByText('1,500 tokens · $0.001039 · 1.8 s').waitFor();

    // Run runs the form again; there is no second button doing the same.
    assert.equal(await action(page, 'rerun').count(), 0, 'no Rerun next to Run');
    await action(page, 'run').click();
    await host.waitForRequest('startRun', 2);
  });
});
