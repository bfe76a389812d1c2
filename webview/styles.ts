// The panel's stylesheet, adopted as a constructable stylesheet: the strict Content-Security-Policy
// allows no inline <style>, and one bundle file keeps packaging simple. Every colour and font is a
// VS Code theme variable, so light, dark and high-contrast themes all read; high contrast adds
// borders where other themes use only a background.
const CSS = /* css */ `
:root { color-scheme: light dark; }
body {
  margin: 0; padding: 0 16px 24px;
  font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); font-weight: var(--vscode-font-weight);
  color: var(--vscode-foreground); background: var(--vscode-editor-background);
}
h1 { font-size: 1.35em; margin: 12px 8px 4px 0; display: inline-block; }
h3 { font-size: 1.05em; margin: 16px 0 6px; }
h4 { font-size: 1em; margin: 12px 0 4px; color: var(--vscode-descriptionForeground); }
.panel-header { display: flex; align-items: baseline; gap: 8px; flex-wrap: wrap; }
.badge, .status {
  display: inline-block; padding: 1px 7px; border-radius: 9px; font-size: 0.85em; white-space: nowrap;
  background: var(--vscode-badge-background); color: var(--vscode-badge-foreground);
  border: 1px solid var(--vscode-contrastBorder, transparent);
}
.status-succeeded { background: var(--vscode-testing-iconPassed); color: var(--vscode-editor-background); }
.status-failed { background: var(--vscode-testing-iconFailed); color: var(--vscode-editor-background); }
.status-canceled { background: var(--vscode-disabledForeground); color: var(--vscode-editor-background); }
.hint, .price, .form-summary { color: var(--vscode-descriptionForeground); }
.form-summary:not(:empty) { color: var(--vscode-errorForeground); }
.row { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; margin: 10px 0; }
.field { display: flex; flex-direction: column; gap: 3px; min-width: 160px; }
.variables .field, .variables vscode-textarea { width: 100%; }
.field label { font-weight: 600; }
.field-problem { color: var(--vscode-errorForeground); min-height: 0; }
.field-problem:empty { display: none; }
.field-actions, .actions { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.actions { margin: 10px 0; }
.run-status { display: flex; align-items: center; gap: 8px; min-height: 24px; margin: 8px 0; }
pre, .output {
  font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size);
  white-space: pre-wrap; word-break: break-word; margin: 0;
  background: var(--vscode-textCodeBlock-background); padding: 8px 10px; border-radius: 3px;
  border: 1px solid var(--vscode-contrastBorder, var(--vscode-panel-border, transparent));
}
.output { min-height: 4em; max-height: 50vh; overflow: auto; }
.output.empty { min-height: 2em; }
.stats { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 6px 16px; margin: 10px 0; }
.stat dt { color: var(--vscode-descriptionForeground); font-size: 0.9em; }
.stat dd { margin: 0; font-variant-numeric: tabular-nums; font-weight: 600; }
.error-box, .notice {
  padding: 8px 12px; margin: 10px 0; border-radius: 3px;
  border: 1px solid var(--vscode-inputValidation-errorBorder);
  background: var(--vscode-inputValidation-errorBackground);
}
.notice { border-color: var(--vscode-inputValidation-infoBorder); background: var(--vscode-inputValidation-infoBackground); }
.error-box p, .notice p { margin: 4px 0; }
.error-title { font-weight: 600; }
.error-next { font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder)); vertical-align: top; }
th { font-weight: 600; color: var(--vscode-descriptionForeground); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.runs tbody tr { cursor: pointer; }
table.runs tbody tr:hover { background: var(--vscode-list-hoverBackground); }
table.runs tbody tr.selected { background: var(--vscode-list-activeSelectionBackground); color: var(--vscode-list-activeSelectionForeground); outline: 1px solid var(--vscode-contrastActiveBorder, transparent); }
tr:focus-visible, pre:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
tr.differs td { font-weight: 600; }
.delta.more { color: var(--vscode-charts-red); }
.delta.less { color: var(--vscode-charts-green); }
.run-detail:not(:empty) { border-top: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder)); margin-top: 12px; }
.side-by-side { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.diff ins { text-decoration: underline; background: var(--vscode-diffEditor-insertedTextBackground); outline: 1px dashed var(--vscode-diffEditor-insertedTextBorder, transparent); }
.diff del { text-decoration: line-through; background: var(--vscode-diffEditor-removedTextBackground); outline: 1px dashed var(--vscode-diffEditor-removedTextBorder, transparent); }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 0; overflow-x: auto; max-width: 100%; }
.chart text { fill: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: 11px; }
.chart .axis-label { fill: var(--vscode-descriptionForeground); }
.chart .grid { stroke: var(--vscode-panel-border, var(--vscode-contrastBorder)); stroke-dasharray: 2 3; }
.chart .axis { stroke: var(--vscode-foreground); }
.chart .bar { stroke: var(--vscode-contrastBorder, none); }
.chart .series-0 { fill: var(--vscode-charts-blue); }
.chart .series-1 { fill: var(--vscode-charts-orange); }
.chart .series-2 { fill: var(--vscode-charts-green); }
vscode-tab-panel { padding: 4px 2px; }
.loading { display: flex; align-items: center; gap: 8px; margin-top: 20px; }
`;

export function applyStyles(): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
