/** THRDS_LLM_*: off without a URL (and why), a start error naming the variable for a bad companion setting. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LLM_TIMEOUT_MS, llmSettingsFromEnv } from '../../src/bots/llmSettings.ts';

const URL = 'http://127.0.0.1:11434/v1';

describe('llmSettingsFromEnv', () => {
  it('given no THRDS_LLM_BASE_URL (or a blank one), when read, then bots are off and the reason names the variable', () => {
    for (const env of [{}, { THRDS_LLM_BASE_URL: '  ', THRDS_LLM_MODEL: 'llama3.2' }]) {
      const settings = llmSettingsFromEnv(env);
      expect('off' in settings && settings.off).toMatch(/^THRDS_LLM_BASE_URL is not set/);
    }
  });

  it('given a URL and a model, when read, then the settings hold them, no key and the default timeout', () => {
    expect(llmSettingsFromEnv({ THRDS_LLM_BASE_URL: URL, THRDS_LLM_MODEL: ' llama3.2 ' })).toEqual({ baseUrl: URL, model: 'llama3.2', timeoutMs: DEFAULT_LLM_TIMEOUT_MS });
  });

  it('given a key and a timeout, when read, then both are kept', () => {
    expect(llmSettingsFromEnv({ THRDS_LLM_BASE_URL: 'https://api.example.com/v1', THRDS_LLM_MODEL: 'm', THRDS_LLM_API_KEY: 'sk-1', THRDS_LLM_TIMEOUT_MS: '1500' })).toEqual({
      baseUrl: 'https://api.example.com/v1',
      model: 'm',
      apiKey: 'sk-1',
      timeoutMs: 1500,
    });
  });

  it('given a URL without a model, when read, then it fails naming THRDS_LLM_MODEL', () => {
    expect(() => llmSettingsFromEnv({ THRDS_LLM_BASE_URL: URL })).toThrow(/^THRDS_LLM_MODEL must be set when THRDS_LLM_BASE_URL is/);
  });

  it.each(['127.0.0.1:11434', 'ftp://host/v1', 'not a url', 'http://'])('given the URL %j, when read, then it fails naming THRDS_LLM_BASE_URL', (value) => {
    expect(() => llmSettingsFromEnv({ THRDS_LLM_BASE_URL: value, THRDS_LLM_MODEL: 'm' })).toThrow(/^THRDS_LLM_BASE_URL must be an http:\/\/ or https:\/\/ URL/);
  });

  it('given a bad URL with a password in it, when refused, then the message leaves the password out', () => {
    expect(() => llmSettingsFromEnv({ THRDS_LLM_BASE_URL: 'ftp://me:hunter2@host/v1', THRDS_LLM_MODEL: 'm' })).toThrow(/^(?!.*hunter2)/s);
  });

  it.each(['0', '-5', '1.5', 'soon', '1e3'])('given THRDS_LLM_TIMEOUT_MS=%j, when read, then it fails naming the variable', (value) => {
    expect(() => llmSettingsFromEnv({ THRDS_LLM_BASE_URL: URL, THRDS_LLM_MODEL: 'm', THRDS_LLM_TIMEOUT_MS: value })).toThrow(/^THRDS_LLM_TIMEOUT_MS must be a positive whole number/);
  });
});
