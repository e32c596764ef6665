// Drives a bedrock project through LLM Proxy as Bedrock's users do: AWS's official @aws-sdk/client-bedrock-runtime
// with `endpoint` = the proxy and the proxy token as a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK, which makes the
// SDK send `Authorization: Bearer <token>`; or `token: { token }` with authSchemePreference httpBearerAuth), over
// HTTP/1.1 (NodeHttpHandler: the client's default handler speaks HTTP/2 only). Converse, ConverseStream, InvokeModel
// (with Claude's, Meta Llama's and Mistral's bodies) and InvokeModelWithResponseStream with Claude's body, and the
// errors the SDK raises typed; and Anthropic's @anthropic-ai/bedrock-sdk (AnthropicBedrock, its apiKey the token as
// a Bedrock API key) on InvokeModel. Prints, as JSON for the Java integration test (UsageContract), what came back, the errors raised and the proxy's request id of each call.
import {
  BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import AnthropicBedrock from '@anthropic-ai/bedrock-sdk';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const REQUEST_ID = 'x-llm-proxy-request-id';
const endpoint = env('BEDROCK_ENDPOINT');
const token = env('AWS_BEARER_TOKEN_BEDROCK');
const model = env('BEDROCK_MODEL');
let lastId = null;
let lastHeaders = {};
const noting = (client) => {
  client.middlewareStack.add((next) => async (args) => {
    try {
      const result = await next(args);
      lastId = result.response?.headers?.[REQUEST_ID] ?? null;
      lastHeaders = result.response?.headers ?? {};
      return result;
    } catch (e) {
      lastId = e.$response?.headers?.[REQUEST_ID] ?? null;
      throw e;
    }
  }, { step: 'deserialize', name: 'noteRequestId' });
  return client;
};
const base = { region: 'us-east-1', endpoint, maxAttempts: 1, requestHandler: new NodeHttpHandler() };
const client = noting(new BedrockRuntimeClient(base)); // the token from AWS_BEARER_TOKEN_BEDROCK
const out = { ids: {}, errors: {} };
const messages = [{ role: 'user', content: [{ text: 'Say hello' }] }];

const converse = await client.send(new ConverseCommand({ modelId: model, messages, inferenceConfig: { maxTokens: 64 } }));
out.ids.converse = lastId;
out.text = converse.output.message.content[0].text;
out.usage = converse.usage;

const streamed = await client.send(new ConverseStreamCommand({ modelId: model, messages }));
out.ids.converseStream = lastId;
let text = '';
for await (const event of streamed.stream) {
  if (event.contentBlockDelta) text += event.contentBlockDelta.delta.text ?? '';
  if (event.metadata) out.streamUsage = event.metadata.usage;
}
out.streamText = text;

const claudeBody = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 64,
  messages: [{ role: 'user', content: 'Say hello' }] });
const decode = (bytes) => JSON.parse(new TextDecoder().decode(bytes));
const invoked = await client.send(new InvokeModelCommand({ modelId: model, contentType: 'application/json',
  accept: 'application/json', body: claudeBody }));
out.ids.invoke = lastId;
const claude = decode(invoked.body);
out.invokeText = claude.content[0].text;
out.invokeUsage = claude.usage;

// InvokeModel with Meta Llama's and Mistral's bodies: the answer's text, and Bedrock's token count headers as the
// SDK's response carries them
const invokeText = async (modelId, body) => {
  const result = await client.send(new InvokeModelCommand({ modelId, contentType: 'application/json',
    accept: 'application/json', body: JSON.stringify(body) }));
  return { id: lastId, answer: decode(result.body), inputTokens: lastHeaders['x-amzn-bedrock-input-token-count'],
    outputTokens: lastHeaders['x-amzn-bedrock-output-token-count'] };
};
out.llama = await invokeText(env('BEDROCK_LLAMA_MODEL'), { prompt: 'Say hello', max_gen_len: 64, temperature: 0.5 });
out.ids.llama = out.llama.id;
out.mistral = await invokeText(env('BEDROCK_MISTRAL_MODEL'), { prompt: '<s>[INST] Say hello [/INST]', max_tokens: 64 });
out.ids.mistral = out.mistral.id;

const invokedStream = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: model,
  contentType: 'application/json', accept: 'application/json', body: claudeBody }));
out.ids.invokeStream = lastId;
let invokeStreamText = '';
for await (const event of invokedStream.body) {
  if (!event.chunk) continue;
  const claudeEvent = decode(event.chunk.bytes);
  if (claudeEvent.type === 'content_block_delta') invokeStreamText += claudeEvent.delta.text;
  if (claudeEvent['amazon-bedrock-invocationMetrics']) out.invocationMetrics = claudeEvent['amazon-bedrock-invocationMetrics'];
}
out.invokeStreamText = invokeStreamText;

// Anthropic's own Bedrock client: its apiKey is a Bedrock API key (sent as Authorization: Bearer), its baseURL the proxy
const anthropic = new AnthropicBedrock({ baseURL: endpoint, apiKey: token, awsRegion: 'us-east-1', maxRetries: 0 });
const message = await anthropic.messages.create({ model, max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] })
  .withResponse();
out.ids.anthropicInvoke = message.response.headers.get(REQUEST_ID);
out.anthropicText = message.data.content[0].text;
const anthropicStream = await anthropic.messages.create({ model, max_tokens: 64, stream: true,
  messages: [{ role: 'user', content: 'Hi' }] }).withResponse();
out.ids.anthropicStream = anthropicStream.response.headers.get(REQUEST_ID);
let anthropicStreamText = '';
for await (const event of anthropicStream.data) {
  if (event.type === 'content_block_delta') anthropicStreamText += event.delta.text;
}
out.anthropicStreamText = anthropicStreamText;

// a stream the provider stops sending: the proxy ends it with an event-stream exception message
let stalledText = '';
try {
  const stalled = await client.send(new ConverseStreamCommand({ modelId: 'mock-bedrock-stall', messages }));
  out.ids.stalled = lastId;
  for await (const event of stalled.stream) {
    if (event.contentBlockDelta) stalledText += event.contentBlockDelta.delta.text ?? '';
  }
  out.stalled = { text: stalledText, ended: 'normally' };
} catch (e) {
  out.stalled = { text: stalledText, name: e.name, message: e.message };
}

const explicit = (bearer) => noting(new BedrockRuntimeClient({ ...base, token: { token: bearer },
  authSchemePreference: ['httpBearerAuth'] }));
const signing = noting(new BedrockRuntimeClient({ ...base, authSchemePreference: ['sigv4'],
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } }));
const failures = {
  explicitToken: [explicit(token), model],
  notAllowed: [client, 'meta.llama3-8b-instruct-v1:0'],
  missing: [client, 'mock-bedrock-missing'],
  badToken: [explicit('llmp_not-a-token'), model],
  sigv4: [signing, model],
  unthrottled: [explicit(env('BEDROCK_LIMITED_TOKEN')), model], // its one request this minute
  throttled: [explicit(env('BEDROCK_LIMITED_TOKEN')), model],
};
for (const [name, [caller, failing]] of Object.entries(failures)) {
  try {
    const r = await caller.send(new ConverseCommand({ modelId: failing, messages }));
    out.errors[name] = { status: 200, text: r.output.message.content[0].text, id: lastId };
  } catch (e) {
    if (!e.$metadata) throw e;
    out.errors[name] = { name: e.name, status: e.$metadata.httpStatusCode, message: e.message, id: lastId,
      fault: e.$fault };
  }
}
console.log(JSON.stringify(out));
