// Entry of the run panel's webview bundle (dist/webview.js). The host wrote the prompt's id into
// <body data-prompt-id>; everything else arrives through the message protocol.
import { App } from './app.ts';
import './elements.ts';
import { Host } from './host.ts';
import { applyStyles } from './styles.ts';

applyStyles();
const root = document.getElementById('app');
const promptId = document.body.dataset.promptId;
if (root && promptId) {
  const host = new Host();
  const app = new App(host, root, promptId, document.body.dataset.title ?? 'Prompt');
  host.ready();
  void app.start();
}
