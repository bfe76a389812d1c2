// The panel survives being hidden and reloaded (its state comes back), draws usage charts, and
// reads in the dark, light and high-contrast themes.
import assert from 'node:assert/strict';
import type { UsageReport } from '../../contract/index.ts';
import { aRun, panelData, queued } from './support/fixtures.ts';
import { useWebview } from './support/suite.ts';
import { action, choose, field, shown, tab, type, valueIn } from './support/ui.ts';
import type { ThemeName } from './support/themes.ts';

const row = (key: string, label: string, input: number, output: number, cost: number, unpriced = 0) => ({
  key,
  label,
  runs: 2,
  inputTokens: input,
  cachedInputTokens: 0,
  outputTokens: output,
  reasoningTokens: 0,
  totalTokens: input + output,
  costUsd: cost,
  unpricedRuns: unpriced,
});

function report(groupBy: UsageReport['groupBy']): UsageReport {
  const items = groupBy === 'day' ? [row('2026-11-26', '2026-11-26', 12000, 3000, 0.075), row('2026-11-27', '2026-11-27', 4000, 1000, 0.025, 1)] : [row('gpt-5.4', 'gpt-5.4', 16000, 4000, 0.1)];
  return { groupBy, from: '2026-10-28T00:00:00.000Z', to: '2026-11-27T12:00:00.000Z', items, totals: { ...row('total', 'Total', 16000, 4000, 0.1, 1), runs: 4 } };
}

describe('Panel state, usage and themes', () => {
  const suite = useWebview();

  it('comes back after a reload as it was left, and joins a run still in progress', async () => {
    const run = aRun();
    const handlers = {
      load: () => panelData(),
      startRun: () => queued(run),
      watchRun: () => null,
    };
    const first = await suite.open(handlers);
    await type(first.page, 'var:diff', 'my diff');
    await type(first.page, 'var:language', 'Rust');
    await choose(first.page, 'model', 'gpt-5.4-mini');
    await action(first.page, 'run').click();
    await first.waitForRequest('watchRun');
    await first.push('runDelta', { runId: run.id, text: 'Echo: partial' });
    await first.page.locator('[data-output]').getByText('Echo: partial').waitFor();
    await first.page.waitForTimeout(400); // the streamed text is kept at most every 250 ms

    const again = await suite.open(handlers, { state: first.state });
    const page = again.page;
    await field(page, 'var:diff').waitFor();
    assert.equal(await valueIn(page, 'var:diff'), 'my diff');
    assert.equal(await valueIn(page, 'var:language'), 'Rust');
    assert.equal(await shown(page, 'model'), 'gpt-5.4-mini');
    assert.equal(await page.locator('[data-output]').textContent(), 'Echo: partial', 'the text so far is shown at once');
    assert.deepEqual(await again.waitForRequest('watchRun'), { runId: run.id }, 'the run in progress is joined again');
    await again.push('runReset', { runId: run.id, attempt: null, reason: 'Joined the stream again.' });
    await again.push('runDelta', { runId: run.id, text: 'Echo: partial and more' });
    await again.push('runDone', { run: { ...run, output: 'Echo: partial and more' } });
    await page.locator('[data-output]').getByText('Echo: partial and more').waitFor();
    assert.equal(await page.locator('[data-notice]').count(), 0, 'rejoining is not reported as a retry');

    await tab(page, 'History');
    const third = await suite.open({ ...handlers, listRuns: () => ({ items: [], nextCursor: null }) }, { state: again.state });
    await third.page.getByText('No runs yet. Run the prompt from the Run tab.').waitFor();
    assert.equal(third.sent('watchRun').length, 0, 'a finished run is not joined again');
  });

  it('charts tokens and cost per day, and switches to every prompt', async () => {
    const host = await suite.open({ load: () => panelData(), usage: (p) => report(p.groupBy) });
    const page = host.page;
    await tab(page, 'Usage');
    assert.deepEqual(await host.waitForRequest('usage'), { groupBy: 'day', allPrompts: false });
    const tokensChart = page.locator('svg.chart[aria-label="Tokens per day"]');
    await tokensChart.waitFor();
    assert.equal(await tokensChart.locator('rect.bar.series-0').count(), 3, 'two days of input bars and a legend swatch');
    assert.deepEqual(await tokensChart.locator('text.axis-label').allTextContents(), ['tokens']);
    assert.ok((await tokensChart.locator('text.tick').allTextContents()).includes('2026-11-26'));
    await page.locator('svg.chart[aria-label="Cost per day"] text.axis-label').getByText('USD').waitFor();
    assert.deepEqual(await page.locator('.usage-table tfoot td').allTextContents(), ['4', '16,000', '0', '4,000', '0', '20,000', '$0.10', '1']);
    await page.locator('.usage-totals').getByText('Totals: 4 runs, 20,000 tokens, $0.10 (1 unpriced run not in the cost).').waitFor();

    await choose(page, 'usage-scope', 'All prompts');
    await choose(page, 'usage-group', 'Per model');
    assert.deepEqual(host.sent('usage').at(-1), { groupBy: 'model', allPrompts: true });
    await page.locator('svg.chart[aria-label="Tokens per model"]').waitFor();
  });

  for (const theme of ['dark', 'light', 'high-contrast'] satisfies ThemeName[]) {
    it(`reads in the ${theme} theme (screenshots in .test-artifacts/webview)`, async () => {
      const run = aRun({ output: 'Echo: Review this diff as a senior engineer: + a line Answer in English.' });
      const host = await suite.open(
        {
          load: () => panelData({ remembered: { variables: { diff: '+ a line', language: 'English' }, input: '', model: null, params: { reasoningEffort: 'low' } } }),
          startRun: () => queued(run),
          watchRun: () => null,
          usage: (p) => report(p.groupBy),
        },
        { theme },
      );
      const page = host.page;
      await action(page, 'run').click();
      await host.waitForRequest('watchRun');
      await host.push('runDone', { run });
      await page.locator('[data-stat="cost"]').waitFor();
      const colours = await page.evaluate(() => {
        const body = getComputedStyle(document.body);
        return { fg: body.color, bg: body.backgroundColor };
      });
      assert.notEqual(colours.fg, colours.bg, 'text and background come from the theme and differ');
      await host.screenshot(`run-${theme}`);
      await tab(page, 'Usage');
      await page.locator('svg.chart').first().waitFor();
      await host.screenshot(`usage-${theme}`);
      assert.deepEqual(host.consoleProblems, []);
    });
  }
});
