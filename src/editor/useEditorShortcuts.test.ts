// Which key presses undo and redo: Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z, Ctrl+Y; nothing else.
import { describe, expect, it } from 'vitest';
import { historyKeyOf } from './useEditorShortcuts';

const press = (key: string, mods: { ctrl?: boolean; meta?: boolean; shift?: boolean; alt?: boolean } = {}) => ({
  key,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  shiftKey: mods.shift ?? false,
  altKey: mods.alt ?? false,
});

describe('historyKeyOf', () => {
  it('reads undo and redo on every platform', () => {
    expect(historyKeyOf(press('z', { ctrl: true }))).toBe('undo');
    expect(historyKeyOf(press('z', { meta: true }))).toBe('undo');
    expect(historyKeyOf(press('Z', { ctrl: true, shift: true }))).toBe('redo');
    expect(historyKeyOf(press('z', { meta: true, shift: true }))).toBe('redo');
    expect(historyKeyOf(press('y', { ctrl: true }))).toBe('redo');
  });

  it('ignores everything else', () => {
    expect(historyKeyOf(press('z'))).toBeNull();
    expect(historyKeyOf(press('z', { ctrl: true, alt: true }))).toBeNull();
    expect(historyKeyOf(press('y', { meta: true }))).toBeNull();
    expect(historyKeyOf(press('Enter', { ctrl: true }))).toBeNull();
  });
});
