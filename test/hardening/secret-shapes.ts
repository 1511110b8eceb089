/**
 * fast-check generators for the secret shapes of issue 26 item 3, one per rule of TEXT_RULES (and a
 * URL with credentials used as a key): each leaf carries the texts that must never be printed. Every
 * secret is a marker plus random characters, so that a match means a leak, not an accident.
 */
import fc from 'fast-check';

const MARKER = 'Qx9Lw';
const ALNUM = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'];

const chars = (min: number, max: number, alphabet = ALNUM) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((list) => list.join(''));

/** A random secret: the marker plus 10–20 letters and digits. */
export const secretText = chars(10, 20).map((text) => `${MARKER}${text}`);

const randomCase = (text: string) =>
  fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) => [...text].map((char, index) => (upper[index] ? char.toUpperCase() : char)).join(''));

const host = fc.constantFrom('db.internal', 'api.example.com', 'cache:6379', '10.0.0.7:5432');

/** One generated shape: the text to place in a value (or key), and the secrets it holds. */
export interface Shape {
  rule: string;
  text: string;
  secrets: string[];
  /** Placed as a key of the tree (URL credentials inside a key), not as a value. */
  asKey?: boolean;
}

const urlPassword: fc.Arbitrary<Shape> = fc
  .record({
    scheme: fc.constantFrom('postgres', 'redis', 'amqp', 'mongodb+srv'),
    user: chars(0, 6),
    secret: secretText,
    host,
  })
  .map(({ scheme, user, secret, host: at }) => ({
    rule: 'url-password',
    text: `${scheme}://${user}:${secret}@${at}/app`,
    secrets: [secret],
  }));

const urlUserToken: fc.Arbitrary<Shape> = fc
  .record({
    prefix: fc.constantFrom('ghp_', 'glpat-', 'xoxb-', 'sk-', 'github_pat_', ''),
    secret: secretText,
    host,
  })
  .map(({ prefix, secret, host: at }) => ({
    rule: 'url-user-token',
    text: `https://${prefix}${secret}7@${at}/org/repo.git`,
    secrets: [secret],
  }));

const bearer: fc.Arbitrary<Shape> = fc
  .record({
    word: fc.constantFrom('Bearer', 'bearer', 'BEARER'),
    secret: secretText,
    tail: chars(0, 12, [...'abc.-_~+/']),
  })
  .map(({ word, secret, tail }) => ({ rule: 'bearer', text: `${word} ${secret}${tail}`, secrets: [secret] }));

const basic: fc.Arbitrary<Shape> = fc
  .record({ word: fc.constantFrom('Basic', 'basic', 'BASIC'), user: chars(1, 8), secret: secretText })
  .map(({ word, user, secret }) => {
    const encoded = Buffer.from(`${user}:${secret}`).toString('base64');
    return { rule: 'basic', text: `${word} ${encoded}`, secrets: [encoded] };
  });

const connectionPassword: fc.Arbitrary<Shape> = fc
  .record({
    name: fc.constantFrom('Password', 'Pwd').chain(randomCase),
    style: fc.constantFrom('ado', 'odbc', 'quoted'),
    secret: secretText,
    last: fc.boolean(),
  })
  .map(({ name, style, secret, last }) => {
    const value = style === 'odbc' ? `{${secret};x}` : style === 'quoted' ? `"${secret}"` : secret;
    const head =
      style === 'odbc' ? 'Driver={ODBC Driver 18};Server=db;Uid=sa' : 'Server=db;Database=app;User Id=sa';
    const text = `${head};${name}=${value}${last ? '' : ';Encrypt=true'}`;
    return { rule: 'connection-password', text, secrets: [secret] };
  });

const querySecret: fc.Arbitrary<Shape> = fc
  .record({
    param: fc
      .constantFrom('password', 'token', 'secret', 'api_key', 'sig', 'access_token', 'client_secret')
      .chain(randomCase),
    first: fc.boolean(),
    secret: secretText,
    host,
  })
  .map(({ param, first, secret, host: at }) => ({
    rule: 'query-secret',
    text: `https://${at}/v1/items?${first ? '' : 'page=2&'}${param}=${secret}&limit=10`,
    secrets: [secret],
  }));

const webhookPath: fc.Arbitrary<Shape> = fc
  .record({ service: fc.constantFrom('slack', 'discord', 'teams'), a: chars(6, 9), secret: secretText })
  .map(({ service, a, secret }) => {
    const text =
      service === 'slack'
        ? `https://hooks.slack.com/services/T${a}/B${a}/${secret}`
        : service === 'discord'
          ? `https://discord.com/api/webhooks/12345${a.length}/${secret}`
          : `https://acme.webhook.office.com/webhookb2/${a}@${a}/IncomingWebhook/${secret}`;
    return { rule: 'webhook-path', text, secrets: [secret] };
  });

const keyUrl: fc.Arbitrary<Shape> = fc
  .record({ user: chars(1, 6), secret: secretText, host })
  .map(({ user, secret, host: at }) => ({
    rule: 'url-password',
    text: `https://${user}:${secret}@${at}`,
    secrets: [secret],
    asKey: true,
  }));

/** Each shape, by the rule that masks it. */
export const SHAPES: Record<string, fc.Arbitrary<Shape>> = {
  'url-password': fc.oneof(urlPassword, keyUrl),
  'url-user-token': urlUserToken,
  bearer,
  basic,
  'connection-password': connectionPassword,
  'query-secret': querySecret,
  'webhook-path': webhookPath,
};

/** Non-secret keys (none looks like a credential). */
const PLAIN_KEYS = [
  'authorization',
  'upstream',
  'endpoint',
  'connection',
  'hook',
  'note',
  'remote',
  'header',
];

/** A tree of non-secret keys holding 1–6 shapes, each alone or inside a longer text. */
export const treeWithShapes = fc
  .array(
    fc.record({
      shape: fc.oneof(...Object.values(SHAPES)),
      group: fc.constantFrom('app', 'clients', 'misc'),
      key: fc.constantFrom(...PLAIN_KEYS),
      embed: fc.constantFrom('', 'see ', 'use "'),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((leaves) => {
    const tree: Record<string, Record<string, unknown>> = {};
    const secrets: string[] = [];
    leaves.forEach(({ shape, group, key, embed }, index) => {
      tree[group] ??= {};
      const branch = tree[group];
      const text = shape.asKey ? shape.text : `${embed}${shape.text}${embed ? ' for details' : ''}`;
      if (shape.asKey) branch[text] = { weight: index };
      else branch[`${key}${index}`] = text;
      secrets.push(...shape.secrets);
    });
    return { tree, secrets, rules: leaves.map((leaf) => leaf.shape.rule) };
  });
