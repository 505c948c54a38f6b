import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { GenericPrompt } from './prompt';

const logger = () => ({ warn: vi.fn() });

describe('GenericPrompt', () => {
  it('fills {{VARIABLE}} slots (spaces allowed) with the given role', () => {
    const prompt = GenericPrompt.inline('Summarise for {{ AUDIENCE }}: {{TEXT}}', { role: 'system' });
    expect(prompt.variables()).toEqual(['AUDIENCE', 'TEXT']);
    expect(prompt.render({ AUDIENCE: 'finance', TEXT: 'Q3 numbers' })).toEqual({
      role: 'system',
      content: 'Summarise for finance: Q3 numbers',
    });
  });

  it('fails on a missing variable, naming it', () => {
    const prompt = GenericPrompt.inline('Hello {{NAME}}, about {{TOPIC}}', { name: 'greeting' });
    expect(() => prompt.render({ NAME: 'Ana' })).toThrow(
      'Prompt "greeting" needs variable TOPIC (given: NAME)',
    );
    expect(() => prompt.render()).toThrow(/needs variables NAME, TOPIC/);
  });

  it('warns about unused variables through the logger', () => {
    const log = logger();
    GenericPrompt.inline('Hi {{NAME}}', { name: 'hi', logger: log }).render({ NAME: 'Ana', NMAE: 'typo' });
    expect(log.warn).toHaveBeenCalledWith(
      { prompt: 'hi', unused: ['NMAE'] },
      expect.stringContaining('NMAE'),
    );
  });

  it('does not expand slots inside values', () => {
    const message = GenericPrompt.inline('Q: {{QUESTION}} A: {{ANSWER}}').render({
      QUESTION: '{{ANSWER}}',
      ANSWER: 42,
    });
    expect(message.content).toBe('Q: {{ANSWER}} A: 42');
  });

  it('reads templates from files, relative or absolute', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prompt-'));
    const file = join(dir, 'triage.md');
    writeFileSync(file, 'Triage this ticket: {{TICKET}}');
    const prompt = GenericPrompt.file(file);
    expect(prompt.name).toBe(file);
    expect(prompt.render({ TICKET: 'printer on fire' }).content).toBe('Triage this ticket: printer on fire');
    expect(() => GenericPrompt.file(join(dir, 'missing.md')).render()).toThrow(/cannot be read/);
  });

  it('marks the message untrusted when an untrusted variable is used', () => {
    const prompt = GenericPrompt.inline('Email body:\n{{BODY}}', { untrusted: ['BODY'] });
    expect(prompt.render({ BODY: 'hi' })).toEqual({
      role: 'user',
      content: 'Email body:\nhi',
      untrusted: true,
    });
    expect(GenericPrompt.inline('plain {{X}}', { untrusted: ['BODY'] }).render({ X: 1 })).not.toHaveProperty(
      'untrusted',
    );
  });
});
