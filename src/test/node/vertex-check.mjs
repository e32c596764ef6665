// Drives a vertex-ai project through LLM Proxy as Vertex AI's users do, changing only the base URL and the
// credentials: Google's @google/genai SDK with vertexai: true, a project and a location, and an OAuth2Client of
// google-auth-library whose access token is the proxy token (sent as Authorization: Bearer), the same SDK in express
// mode (the proxy token as its apiKey, sent as x-goog-api-key), Anthropic's @anthropic-ai/vertex-sdk with an
// authClient giving the proxy token, and the openai SDK on Vertex AI's OpenAI-compatible endpoint. Prints, as JSON for
// the Java integration test (VertexContract), what came back, the errors raised and the proxy's request id of each
// call.
import { GoogleGenAI, ApiError } from '@google/genai';
import { AnthropicVertex } from '@anthropic-ai/vertex-sdk';
import { OAuth2Client } from 'google-auth-library';
import OpenAI from 'openai';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const REQUEST_ID = 'x-llm-proxy-request-id';
const endpoint = env('VERTEX_ENDPOINT');
const token = env('VERTEX_TOKEN');
const project = 'llm-proxy-test';
const location = 'us-central1';
let lastId = null; // the request id of the SDK's last answer, seen through its fetch option
const fetchNoting = async (url, init) => {
  const response = await fetch(url, init);
  lastId = response.headers.get(REQUEST_ID);
  return response;
};
const bearer = (value) => {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: value });
  return client;
};
const vertex = (value) => new GoogleGenAI({ vertexai: true, project, location,
  googleAuthOptions: { authClient: bearer(value) }, httpOptions: { baseUrl: endpoint, fetch: fetchNoting } });
const ai = vertex(token);
const out = { ids: {}, errors: {} };

const whole = await ai.models.generateContent({ model: 'gemini-vertex-mock', contents: 'Say hello' });
out.ids.generate = lastId;
out.text = whole.text;
out.usage = whole.usageMetadata;

let text = '';
for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-vertex-mock', contents: 'Say hello' })) {
  text += chunk.text ?? '';
}
out.ids.stream = lastId;
out.streamText = text;

const counted = await ai.models.countTokens({ model: 'gemini-vertex-mock', contents: 'Say hello' });
out.ids.count = lastId;
out.totalTokens = counted.totalTokens;

const express = new GoogleGenAI({ vertexai: true, apiKey: token, httpOptions: { baseUrl: endpoint, fetch: fetchNoting } });
const expressed = await express.models.generateContent({ model: 'gemini-vertex-mock', contents: 'Say hello' });
out.ids.express = lastId;
out.expressText = expressed.text;

const failures = { notAllowed: [ai, 'gemini-mini-mock'], badToken: [vertex('llmp_not-a-token'), 'gemini-vertex-mock'] };
for (const [name, [caller, failing]] of Object.entries(failures)) {
  try {
    await caller.models.generateContent({ model: failing, contents: 'Say hello' });
    out.errors[name] = { status: 200 };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    out.errors[name] = { status: e.status, body: JSON.parse(e.message), id: lastId };
  }
}

const claude = (value) => new AnthropicVertex({ baseURL: `${endpoint}/v1`, region: 'us-east5', projectId: project,
  authClient: bearer(value), maxRetries: 0 });
const anthropic = claude(token);
const messages = [{ role: 'user', content: 'Say hello' }];
const message = await anthropic.messages.create({ model: 'claude-vertex-mock', max_tokens: 64, messages }).withResponse();
out.ids.rawPredict = message.response.headers.get(REQUEST_ID);
out.claudeText = message.data.content[0].text;
out.claudeUsage = message.data.usage;
const streamed = await anthropic.messages.create({ model: 'claude-vertex-mock', max_tokens: 64, messages, stream: true })
  .withResponse();
out.ids.streamRawPredict = streamed.response.headers.get(REQUEST_ID);
let claudeStreamText = '';
for await (const event of streamed.data) {
  if (event.type === 'content_block_delta') claudeStreamText += event.delta.text ?? '';
}
out.claudeStreamText = claudeStreamText;
try {
  await anthropic.messages.create({ model: 'claude-not-allowed', max_tokens: 64, messages });
  out.errors.claudeNotAllowed = { status: 200 };
} catch (e) {
  out.errors.claudeNotAllowed = { status: e.status, type: e.error?.error?.type, code: e.error?.error?.code };
}

const compatible = new OpenAI({ apiKey: token, maxRetries: 0,
  baseURL: `${endpoint}/v1/projects/${project}/locations/${location}/endpoints/openapi` });
const chat = await compatible.chat.completions.create({ model: 'google/gemini-vertex-mock', messages }).withResponse();
out.ids.openaiChat = chat.response.headers.get(REQUEST_ID);
out.openaiText = chat.data.choices[0].message.content;

console.log(JSON.stringify(out));
