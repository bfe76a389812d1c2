// The panel's stylesheet, adopted as a constructable stylesheet: the strict Content-Security-Policy
// allows no inline <style>, and one bundle file keeps packaging simple. Every colour and font is a
// VS Code theme variable, so light, dark and high-contrast themes all read; high contrast adds
// borders where other themes use only a background.
//
// Contrast: every text is at least 4.5:1 against what is behind it in the Light, Dark and High
// Contrast themes (webview/test/layout-contrast.test.ts measures it). Theme colours meant for icons
// and charts (testing-iconPassed, errorForeground in Light Modern, charts-green) are too light for
// text on a light background, so text never sits on them: a run's status is foreground text with a
// coloured dot and border, and red or green text is mixed half-way towards the foreground.
//
// Narrow panels (down to 400 px): tables scroll sideways in their own .table-scroll box, never the
// page; form fields, filters and the compare columns wrap; a table's times stay on one line.
const CSS = /* css */ `
:root {
  color-scheme: light dark;
  --pr-error-text: color-mix(in srgb, var(--vscode-errorForeground) 55%, var(--vscode-foreground));
  --pr-more-text: color-mix(in srgb, var(--vscode-charts-red) 55%, var(--vscode-foreground));
  --pr-less-text: color-mix(in srgb, var(--vscode-charts-green) 55%, var(--vscode-foreground));
}
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
.status {
  --pr-status: var(--vscode-descriptionForeground);
  background: transparent; color: inherit; border-color: var(--pr-status);
}
.status::before {
  content: ''; display: inline-block; width: 0.6em; height: 0.6em; border-radius: 50%;
  margin-right: 0.4em; background: var(--pr-status);
}
.status-succeeded { --pr-status: var(--vscode-testing-iconPassed); }
.status-failed { --pr-status: var(--vscode-testing-iconFailed); }
.status-running, .status-queued { --pr-status: var(--vscode-charts-blue); }
.hint, .price, .form-summary { color: var(--vscode-descriptionForeground); }
.form-summary:not(:empty) { color: var(--pr-error-text); }
.row { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; margin: 10px 0; }
.field { display: flex; flex-direction: column; gap: 3px; min-width: min(160px, 100%); max-width: 100%; }
.field > input.text-input, .field > select { max-width: 100%; }
.text-input {
  font: inherit; color: var(--vscode-input-foreground); background: var(--vscode-input-background);
  border: 1px solid var(--vscode-input-border, var(--vscode-contrastBorder, transparent)); border-radius: 2px;
  padding: 3px 6px; min-height: 26px; box-sizing: border-box;
}
textarea.text-input { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); resize: vertical; max-width: 100%; }
.text-input::placeholder { color: var(--vscode-input-placeholderForeground); }
.text-input:focus { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
.text-input[aria-invalid] { border-color: var(--vscode-inputValidation-errorBorder); }
select.select {
  font: inherit; color: var(--vscode-dropdown-foreground); background: var(--vscode-dropdown-background);
  border: 1px solid var(--vscode-dropdown-border, var(--vscode-contrastBorder, transparent)); border-radius: 2px;
  padding: 3px 4px; min-height: 26px;
}
select.select:focus { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
select.select[aria-invalid] { border-color: var(--vscode-inputValidation-errorBorder); }
.variables .field, .variables textarea.text-input { width: 100%; }
.field label { font-weight: 600; }
.field-problem { color: var(--pr-error-text); min-height: 0; }
.filters { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(170px, 100%), 1fr)); gap: 6px 12px; align-items: end; }
.filters .field { min-width: 0; }
.filters .field > input.text-input, .filters .field > select { width: 100%; }
.field-problem:empty { display: none; }
.field-actions, .actions { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.actions { margin: 10px 0; }
.run-status { display: flex; align-items: center; flex-wrap: wrap; gap: 4px 8px; min-height: 24px; margin: 8px 0; }
.run-summary { font-variant-numeric: tabular-nums; }
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
.table-scroll { overflow-x: auto; max-width: 100%; }
/* A scrollbar that shows while the table is wider than the panel, so the hidden columns are found. */
.table-scroll::-webkit-scrollbar { height: 10px; }
.table-scroll::-webkit-scrollbar-thumb { background: var(--vscode-scrollbarSlider-background, rgba(121, 121, 121, 0.4)); }
.table-scroll::-webkit-scrollbar-thumb:hover { background: var(--vscode-scrollbarSlider-hoverBackground, rgba(100, 100, 100, 0.7)); }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder)); vertical-align: top; }
th { font-weight: 600; color: var(--vscode-descriptionForeground); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.time { white-space: nowrap; }
table.runs td { white-space: nowrap; }
table.runs tbody tr { cursor: pointer; }
table.runs tbody tr:hover { background: var(--vscode-list-hoverBackground); }
table.runs tbody tr.selected { background: var(--vscode-list-activeSelectionBackground); color: var(--vscode-list-activeSelectionForeground); outline: 1px solid var(--vscode-contrastActiveBorder, transparent); }
tr:focus-visible, pre:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
tr.differs td { font-weight: 600; }
.delta.more { color: var(--pr-more-text); }
.delta.less { color: var(--pr-less-text); }
.run-detail:not(:empty), .batch-run:not(:empty) { border-top: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder)); margin-top: 12px; }
.side-by-side { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(260px, 100%), 1fr)); gap: 12px; }
.compare-column { min-width: 0; }
.pickers .field { flex: 1 1 300px; }
.pickers .field > select { width: 100%; }
.usage-table th, .measures th { white-space: nowrap; }
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
/* Run all: the form's choices, the results grid, and two columns compared. */
fieldset.choices { border: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder)); border-radius: 3px; margin: 8px 0; padding: 4px 10px 8px; display: flex; flex-wrap: wrap; gap: 4px 16px; }
fieldset.choices legend { font-weight: 600; padding: 0 4px; }
label.check { display: inline-flex; align-items: baseline; gap: 2px; cursor: pointer; }
label.check input { accent-color: var(--vscode-checkbox-background, var(--vscode-focusBorder)); }
.batch-problem { color: var(--pr-error-text); }
.batch-problem:empty { display: none; }
.batch-plan { font-variant-numeric: tabular-nums; }
table.batch-grid th[data-column] { min-width: 160px; }
table.batch-grid td { min-width: 160px; max-width: 360px; }
table.batch-grid .cell { cursor: pointer; border-radius: 3px; padding: 2px 4px; }
table.batch-grid .cell:hover { background: var(--vscode-list-hoverBackground); }
table.batch-grid .cell:focus-visible, .groups [role="button"]:focus-visible { outline: 1px solid var(--vscode-focusBorder); }
.verdict { font-weight: 600; }
.verdict-pass { color: var(--pr-less-text); }
.verdict-fail { color: var(--pr-error-text); }
.verdict-pending { color: var(--vscode-descriptionForeground); }
.cell .preview { font-family: var(--vscode-editor-font-family); white-space: pre-wrap; word-break: break-word; margin: 2px 0; }
.cell-meta, .groups-sentence { color: var(--vscode-descriptionForeground); margin: 2px 0; font-variant-numeric: tabular-nums; }
.groups { list-style: none; margin: 2px 0; padding: 0; }
.groups li { margin: 2px 0; }
.group-count { font-weight: 600; font-variant-numeric: tabular-nums; }
tfoot th, tfoot td { font-variant-numeric: tabular-nums; border-bottom: none; }
.compare-layout { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; align-items: start; }
@media (max-width: 700px) { .compare-layout { grid-template-columns: minmax(0, 1fr); } }
.compare-case { border-top: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder)); padding-top: 4px; }
.check-changes { margin: 4px 0; padding-left: 18px; }
.check-changes .worse strong { color: var(--pr-error-text); }
.check-changes .better strong { color: var(--pr-less-text); }
vscode-tab-panel { padding: 4px 2px; }
.loading { display: flex; align-items: center; gap: 8px; margin-top: 20px; }
.case, .case-editor, .replay {
  border: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder, transparent)); border-radius: 3px;
  padding: 2px 12px; margin: 10px 0;
}
.case .case-editor { border: none; padding: 0; margin: 0; }
.case-values { margin: 6px 0; }
.case-values > div { display: flex; gap: 8px; align-items: baseline; }
.case-values dt { font-family: var(--vscode-editor-font-family); color: var(--vscode-descriptionForeground); white-space: nowrap; }
.case-values dd { margin: 0; white-space: pre-wrap; word-break: break-word; min-width: 0; }
.case-expectations { margin: 6px 0; padding-left: 20px; }
.case-fields .field, .case-fields textarea.text-input { width: 100%; }
.expectation { margin: 4px 0; align-items: flex-start; }
/* A refused value's sentence grows its field downwards; the row keeps its controls on one line. */
.expectation .field-actions { padding-top: calc(1.4em + 3px); }
.expectation .field { flex: 1 1 200px; }
.expectation .field > input.text-input, .expectation .field > select { width: 100%; }
.var-actions { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
.var-actions vscode-button { font-size: 0.9em; }
`;

export function applyStyles(): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
