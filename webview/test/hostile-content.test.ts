// What a hostile prompt, model or provider could put on the panel: markup in a title, a version, a
// variable's value, a run's output and a provider's error. The panel must show each as text and run
// none of it, and its Content-Security-Policy must stop the page from reaching the network even if
// a script did run. A regression here is a script running inside VS Code with the panel's powers.
import assert from 'node:assert/strict';
import { aPrompt, aRun, panelData, V1, V2 } from './support/fixtures.ts';
import { useWebview } from './support/suite.ts';
import { tab } from './support/ui.ts';

const PAYLOAD = (tag: string) => `<img src=x onerror="window.__pwned='${tag}'"><script>window.__pwned='${tag}'</script>`;

describe('Hostile content on the panel', () => {
  const suite = useWebview();

  it('shows markup from a title, a version, an output and an error as text, and runs none of it', async () => {
    const hostileTitle = `Review ${PAYLOAD('title')}`;
    const version = { ...V2, content: `Review {{diff}} ${PAYLOAD('version')}`, notes: PAYLOAD('notes') };
    const output = aRun({ output: `Looks fine ${PAYLOAD('output')}`, inputVariables: { diff: PAYLOAD('variable'), language: 'en' } });
    const failed = aRun({
      status: 'failed',
      output: null,
      usage: null,
      costUsd: null,
      error: { code: 'server_error', message: `Bad gateway ${PAYLOAD('error')}`, status: 502 },
    });
    const host = await suite.open(
      {
        load: () => panelData({ prompt: aPrompt({ title: hostileTitle, currentVersion: version }), versions: { items: [version, V1], nextCursor: null } }),
        listRuns: () => ({ items: [failed, output], nextCursor: null }),
      },
      { title: hostileTitle },
    );
    const page = host.page;
    await tab(page, 'History');
    await page.locator(`tr[data-run-id="${output.id}"]`).click();
    await page.getByText(`Looks fine ${PAYLOAD('output')}`, { exact: false }).first().waitFor();
    await page.locator(`tr[data-run-id="${failed.id}"]`).click();
    await page.getByText(`Bad gateway ${PAYLOAD('error')}`, { exact: false }).first().waitFor();

    // The markup was found above as text (getByText reads shadow roots too); it never became
    // elements or ran. Components render in shadow roots: search them as well.
    // A string, not a function: tsx would wrap the inner function in a helper the page lacks.
    const injected = (await page.evaluate(`(() => {
      const found = [];
      const walk = (root) => {
        for (const el of root.querySelectorAll('img[src="x"], script:not([nonce])')) found.push(el.outerHTML);
        for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
      };
      walk(document);
      return found;
    })()`)) as string[];
    assert.deepEqual(injected, []);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined);
  });

  it('lets the page reach no network and run no injected script, by its Content-Security-Policy', async () => {
    const host = await suite.open({ load: () => panelData(), listRuns: () => ({ items: [], nextCursor: null }) });
    const page = host.page;
    const violations: string[] = [];
    await page.exposeBinding('__cspViolation', (_s, directive: string) => {
      violations.push(directive);
    });
    await page.evaluate(() => {
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __cspViolation(d: string): void }).__cspViolation(e.effectiveDirective));
    });
    const origin = new URL(page.url()).origin;
    const attempts = await page.evaluate(async (target) => {
      const outcome: Record<string, string> = {};
      try {
        await fetch(`${target}/exfiltrate`);
        outcome.fetch = 'reached';
      } catch {
        outcome.fetch = 'blocked';
      }
      const script = document.createElement('script');
      script.textContent = "window.__inline = 'ran'";
      document.body.append(script);
      outcome.inline = (window as unknown as { __inline?: string }).__inline ?? 'blocked';
      // An inline event handler, as injected markup would carry.
      const button = document.createElement('button');
      button.setAttribute('onclick', "window.__handler = 'ran'");
      document.body.append(button);
      button.click();
      outcome.handler = (window as unknown as { __handler?: string }).__handler ?? 'blocked';
      return outcome;
    }, origin);
    assert.deepEqual(attempts, { fetch: 'blocked', inline: 'blocked', handler: 'blocked' });
    // Each was refused by the policy itself (not by chance), and the browser says which directive.
    for (let i = 0; i < 100 && new Set(violations).size < 3; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual([...new Set(violations)].sort(), ['connect-src', 'script-src-attr', 'script-src-elem']);
  });
});
