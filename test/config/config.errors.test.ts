import { describe, expect, it } from 'vitest';
import { ConfigError, DEVELOPMENT_EXTENSION_SECRET, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('runs on embedded defaults from an empty environment', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.PORT).toBe(8080);
    expect(config.TICK_INTERVAL_MS).toBe(5_000);
    expect(config.HOLDOUT_DEV_TOKENS).toBe(true);
    expect(config.TWITCH_EXTENSION_SECRET).toBe(DEVELOPMENT_EXTENSION_SECRET);
  });

  it('reads typed values and treats empty variables as unset', () => {
    const config = loadConfig({
      PORT: '9000',
      DATABASE_URL: 'postgres://u@db:5432/holdout',
      REDIS_URL: '',
      HOLDOUT_DEV_TOKENS: 'false',
      TICK_INTERVAL_MS: '200',
    });
    expect(config).toMatchObject({
      PORT: 9000,
      DATABASE_URL: 'postgres://u@db:5432/holdout',
      HOLDOUT_DEV_TOKENS: false,
      TICK_INTERVAL_MS: 200,
    });
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('binds the metrics listeners on HOST unless METRICS_HOST says otherwise', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }).METRICS_HOST).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0', METRICS_HOST: '10.0.0.5' }).METRICS_HOST).toBe('10.0.0.5');
    expect(loadConfig({ METRICS_HOST: '::1' }).METRICS_HOST).toBe('::1');
    expect(loadConfig({ METRICS_HOST: 'metrics.internal' }).METRICS_HOST).toBe('metrics.internal');
    expect(loadConfig({ METRICS_PORT: '9464' }).METRICS_PORT).toBe(9464);
  });

  it('turns development tokens off by default in production', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).HOLDOUT_DEV_TOKENS).toBe(false);
  });

  const badEnvironments: [string, NodeJS.ProcessEnv, RegExp][] = [
    ['a port that is not a number', { PORT: 'eighty' }, /PORT: expected a whole number \(got "eighty"\)/],
    ['a port out of range', { PORT: '70000' }, /PORT: expected at most 65535/],
    ['a fractional port', { PORT: '80.5' }, /PORT: expected a whole number/],
    [
      'an unknown NODE_ENV',
      { NODE_ENV: 'prod' },
      /NODE_ENV: expected development, production or test \(got "prod"\)/,
    ],
    [
      'a DATABASE_URL of the wrong scheme',
      { DATABASE_URL: 'mysql://x' },
      /DATABASE_URL: expected a URL starting with postgres:\/\/ or postgresql:\/\//,
    ],
    ['a DATABASE_URL that is no URL', { DATABASE_URL: 'localhost:5432' }, /DATABASE_URL: expected a URL/],
    [
      'a REDIS_URL of the wrong scheme',
      { REDIS_URL: 'http://127.0.0.1:6379' },
      /REDIS_URL: expected a URL starting with redis:\/\/ or rediss:\/\//,
    ],
    [
      'a secret that is not base64',
      { TWITCH_EXTENSION_SECRET: 'not base64!' },
      /TWITCH_EXTENSION_SECRET: expected a base64 string/,
    ],
    [
      'a secret too short',
      { TWITCH_EXTENSION_SECRET: 'c2hvcnQ=' },
      /TWITCH_EXTENSION_SECRET: expected at least 16 bytes/,
    ],
    [
      'a boolean flag spelled otherwise',
      { HOLDOUT_DEV_TOKENS: 'maybe' },
      /HOLDOUT_DEV_TOKENS: expected true or false/,
    ],
    ['a tick interval too short', { TICK_INTERVAL_MS: '1' }, /TICK_INTERVAL_MS: expected at least 50/],
    ['an unknown log level', { LOG_LEVEL: 'loud' }, /LOG_LEVEL: expected fatal, error/],
    ['a key prefix with spaces', { REDIS_KEY_PREFIX: 'a b' }, /REDIS_KEY_PREFIX: expected letters, digits/],
    ['a client id with capitals', { TWITCH_CLIENT_ID: 'ABC' }, /TWITCH_CLIENT_ID: expected the lowercase/],
    [
      'a metrics port that is not a number',
      { METRICS_PORT: 'metrics' },
      /METRICS_PORT: expected a whole number/,
    ],
    ['a metrics port out of range', { METRICS_PORT: '65536' }, /METRICS_PORT: expected at most 65535/],
    [
      'a metrics port equal to the API port',
      { PORT: '8080', METRICS_PORT: '8080' },
      /METRICS_PORT: must differ from PORT \(8080\): metrics on the API's port would be public/,
    ],
    [
      'a metrics host with a port',
      { METRICS_HOST: '10.0.0.5:9464' },
      /METRICS_HOST: expected an IP address or host name to bind/,
    ],
    ['a metrics host as a URL', { METRICS_HOST: 'http://metrics' }, /METRICS_HOST: expected an IP address/],
    ['a metrics host with a space', { METRICS_HOST: 'my host' }, /METRICS_HOST: expected an IP address/],
  ];

  it.each(badEnvironments)('refuses %s, naming the variable and what is expected', (_, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('lists every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'loud' })).toThrow(
      /PORT[\s\S]*LOG_LEVEL|LOG_LEVEL[\s\S]*PORT/,
    );
  });
});
