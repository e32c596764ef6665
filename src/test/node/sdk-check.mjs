// Drives LLM Proxy with the official SDKs, unchanged but for base URL and key, and prints what came back as
// JSON for the Java integration test (ProxyContract) to assert. Any failure exits non-zero with the error.
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const messages = [{ role: 'user', content: 'Say hello' }];
const out = {};

const openai = new OpenAI({ baseURL: env('OPENAI_BASE_URL'), apiKey: env('OPENAI_API_KEY'), maxRetries: 0 });
const chat = await openai.chat.completions.create({ model: 'gpt-mock', messages });
out.chat = chat.choices[0].message.content;
out.chatUsage = chat.usage?.total_tokens ?? null;

const stream = await openai.chat.completions.create({ model: 'gpt-mock', messages, stream: true });
let streamed = '';
let chunks = 0;
for await (const chunk of stream) {
  chunks++;
  streamed += chunk.choices[0]?.delta?.content ?? '';
}
out.chatStream = streamed;
out.chatStreamChunks = chunks;

const embedding = await openai.embeddings.create({ model: 'text-embedding-mock', input: 'hello' });
out.embeddingLength = embedding.data[0].embedding.length;
out.embeddingFirst = embedding.data[0].embedding[0];

const models = await openai.models.list();
out.models = models.data.map((m) => m.id);
out.model = (await openai.models.retrieve('gpt-mock')).id;

const anthropic = new Anthropic({ baseURL: env('ANTHROPIC_BASE_URL'), apiKey: env('ANTHROPIC_API_KEY'), maxRetries: 0 });
const message = await anthropic.messages.create({ model: 'claude-mock', max_tokens: 64, messages });
out.message = message.content[0].text;
out.messageStop = message.stop_reason;

const messageStream = anthropic.messages.stream({ model: 'claude-mock', max_tokens: 64, messages });
let text = '';
messageStream.on('text', (delta) => { text += delta; });
const final = await messageStream.finalMessage();
out.messageStream = text;
out.messageStreamStop = final.stop_reason;
out.messageStreamOutputTokens = final.usage.output_tokens;

// A refusal surfaces as the SDKs' typed errors.
try {
  await new OpenAI({ baseURL: env('OPENAI_BASE_URL'), apiKey: 'lpt_not-a-real-token', maxRetries: 0 }).models.list();
  out.badToken = 'accepted';
} catch (e) {
  out.badToken = { status: e.status, code: e.code, type: e.type };
}
try {
  await new Anthropic({ baseURL: env('ANTHROPIC_BASE_URL'), apiKey: 'lpt_not-a-real-token', maxRetries: 0 })
    .messages.create({ model: 'claude-mock', max_tokens: 8, messages });
  out.badAnthropicToken = 'accepted';
} catch (e) {
  out.badAnthropicToken = { status: e.status, name: e.constructor.name };
}

console.log(JSON.stringify(out));
