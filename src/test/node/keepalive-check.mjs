// Refusals on a kept-alive connection (#12): the official SDKs reuse their connections, so after any refusal the
// next call on the same client must be answered, never meet a reset or a closed connection. Each round: a refusal
// after the body was read (model not allowed), one before it was read (an unknown path, a body over the limit),
// then a call that must succeed. Prints {"rounds":N,"errors":[...]} and exits non-zero on any connection error.
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const rounds = Number(process.env.ROUNDS ?? '20');
const tooLarge = 'x'.repeat(Number(env('BODY_LIMIT')) + 1024);
const messages = [{ role: 'user', content: 'Say hello' }];
const errors = [];
const statuses = {};

const expectStatus = async (label, status, call) => {
  try {
    await call();
    errors.push(`${label}: answered, expected ${status}`);
  } catch (e) {
    if (e.status !== status) {
      errors.push(`${label}: ${e.constructor.name} ${e.status ?? ''} ${e.message}`);
    }
    statuses[label] = (statuses[label] ?? 0) + 1;
  }
};
const expectOk = async (label, call) => {
  try {
    await call();
    statuses[label] = (statuses[label] ?? 0) + 1;
  } catch (e) {
    errors.push(`${label}: ${e.constructor.name} ${e.status ?? ''} ${e.message}`);
  }
};

const openai = new OpenAI({ baseURL: env('OPENAI_BASE_URL'), apiKey: env('OPENAI_API_KEY'), maxRetries: 0 });
const anthropic = new Anthropic({ baseURL: env('ANTHROPIC_BASE_URL'), apiKey: env('ANTHROPIC_API_KEY'), maxRetries: 0 });
for (let i = 0; i < rounds; i++) {
  await expectStatus('openai model not allowed', 403,
    () => openai.chat.completions.create({ model: 'not-allowed-model', messages }));
  await expectOk('openai after a refusal', () => openai.chat.completions.create({ model: 'gpt-mock', messages }));
  await expectStatus('openai unknown path', 404, () => openai.post('/not-a-proxied-path', { body: { messages } }));
  await expectOk('openai after an early refusal', () => openai.chat.completions.create({ model: 'gpt-mock', messages }));
  await expectStatus('openai body over the limit', 413, () => openai.chat.completions.create({
    model: 'gpt-mock', messages: [{ role: 'user', content: tooLarge }] }));
  await expectOk('openai after a body over the limit', () => openai.models.list());
  await expectStatus('anthropic model not allowed', 403,
    () => anthropic.messages.create({ model: 'not-allowed-model', max_tokens: 8, messages }));
  await expectOk('anthropic after a refusal',
    () => anthropic.messages.create({ model: 'claude-mock', max_tokens: 8, messages }));
}
console.log(JSON.stringify({ rounds, statuses, errors }));
process.exit(errors.length === 0 ? 0 : 1);
