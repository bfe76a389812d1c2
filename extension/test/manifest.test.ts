// The command check: every command contributed in package.json is registered, every registered
// command is contributed with a title and the PromptRefine category, and the menus and `when`
// clauses only name commands and context keys that exist.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { COMMANDS, CONTEXT, SETTINGS, VIEW_ID } from '../catalog.ts';
import { IDLE_MINUTES } from '../local-service/settings.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const EXTENSION_DIR = join(ROOT, 'extension');

const Manifest = z.object({
  main: z.string(),
  contributes: z.object({
    commands: z.array(z.object({ command: z.string(), title: z.string().min(1), category: z.string() })),
    menus: z.record(z.string(), z.array(z.object({ command: z.string(), when: z.string().optional(), group: z.string().optional() }))),
    views: z.record(z.string(), z.array(z.object({ id: z.string(), name: z.string() }))),
    viewsWelcome: z.array(z.object({ view: z.string(), contents: z.string(), when: z.string() })),
    configuration: z.object({ properties: z.record(z.string(), z.looseObject({ type: z.string(), default: z.unknown() })) }),
  }),
});
const manifest = Manifest.parse(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')));
const contributed = manifest.contributes.commands;
const registered = Object.values(COMMANDS) as string[];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('package.json commands and the registered commands', () => {
  it('contributes every registered command and registers every contributed one', () => {
    assert.deepEqual([...contributed.map((c) => c.command)].sort(), [...registered].sort());
  });

  it('gives every command a title and the PromptRefine category', () => {
    for (const command of contributed) {
      assert.equal(command.category, 'PromptRefine', command.command);
      assert.ok(command.title.trim().length > 0, command.command);
    }
    assert.equal(new Set(contributed.map((c) => c.title)).size, contributed.length, 'titles are unique in the palette');
  });

  it('registers commands in one place only, from the catalog', () => {
    const callers = sourceFiles(EXTENSION_DIR)
      .filter((file) => readFileSync(file, 'utf8').includes('registerCommand('))
      .map((file) => relative(ROOT, file));
    assert.deepEqual(callers, ['extension/commands/register.ts']);
  });

  it('lists in menus only commands that exist, and hides in the palette what does not apply', () => {
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) assert.ok(registered.includes(item.command), `${menu} names unknown ${item.command}`);
    }
    const palette = new Map(manifest.contributes.menus.commandPalette?.map((item) => [item.command, item.when]));
    assert.equal(palette.get(COMMANDS.signIn), `!${CONTEXT.signedIn}`);
    assert.equal(palette.get(COMMANDS.signOut), CONTEXT.signedIn);
    assert.equal(palette.get(COMMANDS.clearFilter), CONTEXT.filtered);
    assert.equal(palette.get(COMMANDS.loadMore), 'false', 'Load More is a tree row, not a palette command');
  });

  it('puts the tree actions on the rows they apply to', () => {
    const itemMenu = manifest.contributes.menus['view/item/context'] ?? [];
    const on = (command: string) => itemMenu.filter((m) => m.command === command).map((m) => m.when ?? '');
    for (const command of [COMMANDS.openPrompt, COMMANDS.runPrompt, COMMANDS.renamePrompt, COMMANDS.editTags, COMMANDS.deletePrompt]) {
      assert.ok(on(command).length > 0 && on(command).every((w) => w.includes('viewItem == prompt')), command);
    }
    // Restoring or comparing the current version with itself makes no sense: only older versions offer it.
    for (const command of [COMMANDS.restoreVersion, COMMANDS.compareWithCurrent]) {
      assert.ok(on(command).every((w) => w.includes('viewItem == version')), command);
    }
  });

  it('uses only context keys the extension sets, in menus and welcome texts', () => {
    const known = new Set<string>(Object.values(CONTEXT));
    const whens = [
      ...Object.values(manifest.contributes.menus).flatMap((items) => items.map((i) => i.when ?? '')),
      ...manifest.contributes.viewsWelcome.map((w) => w.when),
    ];
    for (const when of whens) {
      for (const key of when.match(/promptrefine\.[A-Za-z]+/g) ?? []) {
        if (key === VIEW_ID) continue;
        assert.ok(known.has(key), `unknown context key ${key} in "${when}"`);
      }
    }
  });

  it('declares the view and the settings the code reads', () => {
    assert.ok(Object.values(manifest.contributes.views).flat().some((v) => v.id === VIEW_ID));
    const settings = Object.keys(manifest.contributes.configuration.properties);
    for (const key of Object.values(SETTINGS).filter((k) => k !== SETTINGS.section)) {
      assert.ok(settings.includes(`${SETTINGS.section}.${key}`), key);
    }
    // Empty: the extension runs its own local service, so a fresh install needs no setting at all.
    assert.equal(manifest.contributes.configuration.properties['promptrefine.serviceUrl']?.default, '');
    const idle = manifest.contributes.configuration.properties['promptrefine.localService.idleMinutes'] as { default: unknown; minimum?: unknown };
    assert.deepEqual([idle.default, idle.minimum], [IDLE_MINUTES.default, IDLE_MINUTES.minimum], 'the setting and the code agree on the idle time');
    assert.equal(manifest.main, './dist/extension.cjs');
  });
});
