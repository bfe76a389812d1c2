// Every command the extension registers, by key. Registration walks this table (commands/register.ts),
// and a unit test holds it equal to `contributes.commands` in package.json, so nothing is registered
// without a title in the palette and nothing in the palette is left without a handler. It sits at
// the top of extension/ because every floor reads it (the VS Code adapters, the commands, the
// tests): none of them has to import from a floor above its own.
export const COMMANDS = {
  signIn: 'promptrefine.signIn',
  signOut: 'promptrefine.signOut',
  showStatus: 'promptrefine.showStatus',
  refresh: 'promptrefine.refresh',
  newPrompt: 'promptrefine.newPrompt',
  addPrompt: 'promptrefine.addPrompt',
  newPromptFromTemplate: 'promptrefine.newPromptFromTemplate',
  exportPrompt: 'promptrefine.exportPrompt',
  exportAllPrompts: 'promptrefine.exportAllPrompts',
  importPrompts: 'promptrefine.importPrompts',
  filter: 'promptrefine.filter',
  clearFilter: 'promptrefine.clearFilter',
  loadMore: 'promptrefine.loadMore',
  openPrompt: 'promptrefine.openPrompt',
  runPrompt: 'promptrefine.runPrompt',
  renamePrompt: 'promptrefine.renamePrompt',
  editTags: 'promptrefine.editTags',
  deletePrompt: 'promptrefine.deletePrompt',
  openVersion: 'promptrefine.openVersion',
  compareWithCurrent: 'promptrefine.compareWithCurrent',
  compareWithVersion: 'promptrefine.compareWithVersion',
  restoreVersion: 'promptrefine.restoreVersion',
  copyVersionId: 'promptrefine.copyVersionId',
  setApiKey: 'promptrefine.setApiKey',
  clearApiKey: 'promptrefine.clearApiKey',
  showServiceLog: 'promptrefine.showServiceLog',
} as const;

export type CommandKey = keyof typeof COMMANDS;
export type CommandId = (typeof COMMANDS)[CommandKey];

/** Context keys the `when` clauses in package.json read. */
export const CONTEXT = {
  signedIn: 'promptrefine.signedIn',
  unreachable: 'promptrefine.unreachable',
  filtered: 'promptrefine.filtered',
  /** No service URL is set: the extension runs its own local service. */
  local: 'promptrefine.local',
  /** The service has no account yet: Sign In creates it. */
  setupRequired: 'promptrefine.setupRequired',
} as const;

export const VIEW_ID = 'promptrefine.prompts';
export const SETTINGS = {
  section: 'promptrefine',
  serviceUrl: 'serviceUrl',
  askForNotesOnSave: 'askForNotesOnSave',
  versionsPageSize: 'versionsPageSize',
  highlightVariables: 'highlightVariables',
  openaiBaseUrl: 'openaiBaseUrl',
  localIdleMinutes: 'localService.idleMinutes',
} as const;
/** Where `npm start` listens by default: what Sign In suggests for a service of your own. */
export const DEFAULT_SERVICE_URL = 'http://127.0.0.1:8787';
/** The key of the OpenAI API key in VS Code's secret storage. */
export const API_KEY_SECRET = 'promptrefine.openaiApiKey';
