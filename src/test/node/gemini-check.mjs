// Drives a gemini project through LLM Proxy as Gemini's users do: Google's official @google/genai SDK with
// httpOptions.baseUrl = the proxy and the proxy token as its apiKey (sent as x-goog-api-key), plain fetch with the token
// in Google's ?key= parameter, and the openai SDK on Google's OpenAI-compatible API (base URL {proxy}/v1beta/openai).
// Prints, as JSON for the Java integration test (UsageContract), what came back, the errors raised and the proxy's
// request id of each call.
import { GoogleGenAI, ApiError } from '@google/genai';
import OpenAI from 'openai';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const REQUEST_ID = 'x-llm-proxy-request-id';
const endpoint = env('GEMINI_ENDPOINT');
const apiKey = env('GEMINI_API_KEY');
let lastId = null; // the request id of the SDK's last answer, seen through its fetch option
const fetchNoting = async (url, init) => {
  const response = await fetch(url, init);
  lastId = response.headers.get(REQUEST_ID);
  return response;
};
const client = (key) => new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: endpoint, fetch: fetchNoting } });
const ai = client(apiKey);
const out = { ids: {}, errors: {} };

const whole = await ai.models.generateContent({ model: 'gemini-mock', contents: 'Say hello' });
out.ids.generate = lastId;
out.text = whole.text;
out.usage = whole.usageMetadata;

let text = '';
for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-mock', contents: 'Say hello' })) {
  text += chunk.text ?? '';
  out.streamUsage = chunk.usageMetadata;
}
out.ids.stream = lastId;
out.streamText = text;

const counted = await ai.models.countTokens({ model: 'gemini-mock', contents: 'Say hello' });
out.ids.count = lastId;
out.totalTokens = counted.totalTokens;
const model = await ai.models.get({ model: 'gemini-mock' });
out.ids.model = lastId;
out.modelName = model.name;

const failures = { missing: [ai, 'gemini-missing'], notAllowed: [ai, 'gemini-mini-mock'],
  badToken: [client('llmp_not-a-token'), 'gemini-mock'] };
for (const [name, [caller, failing]] of Object.entries(failures)) {
  try {
    await caller.models.generateContent({ model: failing, contents: 'Say hello' });
    out.errors[name] = { status: 200 };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    out.errors[name] = { status: e.status, body: JSON.parse(e.message), id: lastId };
  }
}

// Google's other way to pass a key, and the stream as one JSON array (no alt=sse)
const keyed = (method) => `${endpoint}/v1beta/models/gemini-mock:${method}?key=${encodeURIComponent(apiKey)}`;
const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Say hello' }] }] });
const headers = { 'content-type': 'application/json' };
const inQuery = await fetch(keyed('generateContent'), { method: 'POST', headers, body });
out.ids.queryKey = inQuery.headers.get(REQUEST_ID);
out.queryKey = { status: inQuery.status, body: await inQuery.json() };
const array = await fetch(keyed('streamGenerateContent'), { method: 'POST', headers, body });
out.ids.arrayStream = array.headers.get(REQUEST_ID);
out.arrayStream = { status: array.status, body: await array.json() };

const compatible = new OpenAI({ baseURL: `${endpoint}/v1beta/openai`, apiKey, maxRetries: 0 });
const messages = [{ role: 'user', content: 'Say hello' }];
const chat = await compatible.chat.completions.create({ model: 'gemini-mock', messages }).withResponse();
out.ids.openaiChat = chat.response.headers.get(REQUEST_ID);
out.openaiText = chat.data.choices[0].message.content;
const streamed = await compatible.chat.completions.create({ model: 'gemini-mock', messages, stream: true })
  .withResponse();
out.ids.openaiStream = streamed.response.headers.get(REQUEST_ID);
let openaiStreamText = '';
for await (const chunk of streamed.data) {
  for (const choice of chunk.choices) openaiStreamText += choice.delta?.content ?? '';
}
out.openaiStreamText = openaiStreamText;

console.log(JSON.stringify(out));
