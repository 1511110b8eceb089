/**
 * Properties of issue 26 items 2 and 3 (they extend redaction.property.test.ts, which drives the CLI):
 * - every secret shape of TEXT_RULES (URL passwords, tokens as URL user names, Bearer, Basic,
 *   connection-string `Password=`/`Pwd=`, secret query parameters, webhook paths, URL credentials in
 *   a key) is masked in values, keys and messages; the same property FAILS when any one rule is dropped
 *   from the injectable rule list, so no rule is dead weight and each generator reaches its rule;
 * - after a password rotates, no output of the config (change events, history, the inspector's
 *   /api/history) shows the old password inside a non-secret value.
 * Reference model: the generated secrets are the only texts that must not appear, and each appears in
 * the input (checked), so a pass is not vacuous.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ConfigChange, loadConfig, memory } from '../../src/index.js';
import { inspector } from '../../src/inspector/index.js';
import { createRedactor, TEXT_RULES, type TextRule } from '../../src/redaction.js';
import { closeServer, listen } from '../inspector/helpers.js';
import { secretText, treeWithShapes } from './secret-shapes.js';

/** What the redactor built with `rules` prints of a generated tree: the tree, and a message quoting it. */
function printed(rules: readonly TextRule[], tree: unknown): string {
  const redactor = createRedactor({ rules });
  const texts = JSON.stringify(tree);
  return [
    JSON.stringify(redactor.redactTree(tree)),
    redactor.redactText(`rejected ${texts}`),
    // A secret a rule found in one value is masked where another message repeats it bare.
    createRedactor({ rules, secretValues: () => redactor.secretsIn(tree) }).redactText(
      redactor.secretsIn(tree).join(' | '),
    ),
  ].join('\n');
}

const noLeak = (rules: readonly TextRule[]) =>
  fc.property(treeWithShapes, ({ tree, secrets }) => {
    const input = JSON.stringify(tree);
    for (const secret of secrets) if (!input.includes(secret)) throw new Error(`generator lost ${secret}`);
    const output = printed(rules, tree);
    for (const secret of secrets) expect(output).not.toContain(secret);
  });

describe('secret shapes (issue 26 item 3)', () => {
  it('no generated shape leaks through the full rule set (property)', () => {
    fc.assert(noLeak(TEXT_RULES), { numRuns: 500 });
  });

  it.each(TEXT_RULES.map((rule) => [rule.name]))(
    'dropping the rule %s lets a generated shape leak',
    (name) => {
      const without = TEXT_RULES.filter((rule) => rule.name !== name);
      expect(without).toHaveLength(TEXT_RULES.length - 1);
      const result = fc.check(noLeak(without), { numRuns: 500 });
      expect(result.failed, `no counterexample without ${name}`).toBe(true);
    },
  );
});

/** How a non-secret key shows the password: as text around it, or through a schema transform. */
const rotation = fc.record({
  old: secretText,
  next: secretText,
  how: fc.constantFrom('embedded', 'transform'),
  around: fc.constantFrom<[string, string]>(['log in with ', ''], ['', ' is the password'], ['x', 'y']),
});

describe('rotation (issue 26 item 2)', () => {
  it('after a rotation, the old password shows in no change event, history entry or /api/history (property)', async () => {
    await fc.assert(
      fc.asyncProperty(rotation, async ({ old, next, how, around: [before, after] }) => {
        fc.pre(old !== next && !old.includes(next) && !next.includes(old));
        const data = (password: string) =>
          how === 'embedded'
            ? { db: { password }, motd: `${before}${password}${after}` }
            : { db: { password } };
        const Schema = z
          .object({ db: z.object({ password: z.string() }), motd: z.string().optional() })
          .transform((root) => ({ ...root, banner: `${before}${root.db.password}${after}` }));
        const source = memory(data(old));
        const config = await loadConfig({ schema: Schema, sources: [source], debounceMs: 0 });
        const handler = inspector(config);
        const { server, url } = await listen(handler);
        try {
          const outputs: string[] = [];
          const published = new Promise<ConfigChange<unknown>>((resolve) => {
            const subscription = config.changes$.subscribe((change) => {
              subscription.unsubscribe();
              resolve(change);
            });
          });
          source.update(data(next));
          const change = await published;
          expect(JSON.stringify(change.previous)).toContain(old); // the raw event holds it: not vacuous
          outputs.push(JSON.stringify(config.redaction.redactChange(change)));
          outputs.push(
            JSON.stringify(config.history().map((entry) => config.redaction.redactHistoryEntry(entry))),
          );
          outputs.push(await (await fetch(`${url}/api/history`)).text());
          for (const output of outputs) {
            expect(output).not.toContain(old);
            expect(output).not.toContain(next);
          }
        } finally {
          handler.close();
          await closeServer(server);
          await config.close();
        }
      }),
      { numRuns: 25 },
    );
  });
});
