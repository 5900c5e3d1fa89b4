import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { cleanSettings, DEFAULT_SETTINGS } from '../../server/src/settings';
import { repoPath } from '../support/paths';

const manifest = JSON.parse(fs.readFileSync(repoPath('package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default?: unknown; minimum?: number; maximum?: number }> } } };
const windowSetting = manifest.contributes.configuration.properties['logForensics.correlation.windowSeconds'];

test('the correlation window VS Code offers by default is the one the server falls back to', () => {
  assert.equal(windowSetting.default, DEFAULT_SETTINGS.windowSeconds);
  assert.equal(cleanSettings({}).windowSeconds, windowSetting.default);
  assert.equal(cleanSettings({ correlation: { windowSeconds: 'soon' } }).windowSeconds, windowSetting.default);
});

test('the server keeps the correlation window within the bounds the setting declares', () => {
  assert.equal(cleanSettings({ correlation: { windowSeconds: -1 } }).windowSeconds, windowSetting.default);
  assert.equal(cleanSettings({ correlation: { windowSeconds: windowSetting.minimum } }).windowSeconds, windowSetting.minimum);
  assert.equal(cleanSettings({ correlation: { windowSeconds: windowSetting.maximum! + 1 } }).windowSeconds, windowSetting.maximum);
});
