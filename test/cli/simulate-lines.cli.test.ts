import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONTENT_DIR } from '../../src/content/index.js';
import { runHoldout } from '../support/holdout-process.js';

const root = mkdtempSync(join(tmpdir(), 'holdout-lines-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('holdout simulate --lines', () => {
  it('scans the shipped content clean and exits 0', async () => {
    const { code, output } = await runHoldout(['simulate', '--lines', '1', '--json', '--seed', '3']);
    expect(code, output).toBe(0);
    const report = JSON.parse(output.slice(output.indexOf('{')));
    // One mission per location × difficulty × party size × mission length.
    expect(report.missions).toBe(7 * 5 * 4 * 3);
    expect(report.lines).toBeGreaterThan(report.missions * 10);
    expect(report.defects).toEqual({});
    expect(report.selfFollows).toBe(0);
    expect(report.overRepeat, report.overRepeatExamples.join('\n')).toBe(0);
  }, 120_000);

  it('names the defect, shows an example and exits 1 when a template misreads the scene', async () => {
    const dir = join(root, 'content');
    cpSync(DEFAULT_CONTENT_DIR, dir, { recursive: true });
    const file = join(dir, 'encounters', 'common.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    // Every way of telling a lone walker says it came out of a doorway, in the forest too.
    json['lone-walker'].outcomes.success.text = Array(4).fill(
      'A walker lurches out of a doorway; {name} ends it.',
    );
    writeFileSync(file, JSON.stringify(json));
    const { code, output } = await runHoldout(['simulate', '--lines', '1', '--content', dir]);
    expect(output).toMatch(/^town-in-the-wild: \d+$/m);
    expect(output).toMatch(/blackpine-forest .*: .*out of a doorway/);
    expect(code).toBe(1);
  }, 120_000);
});
