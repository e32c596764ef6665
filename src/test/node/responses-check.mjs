// Drives the Responses API through LLM Proxy with the official openai SDK, unchanged but for base URL and key:
// create (streamed and not), retrieve, cancel, list input items and delete. Prints, as JSON for the Java
// integration test (UsageContract), what came back and the proxy's request id of each call.
import OpenAI from 'openai';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const REQUEST_ID = 'x-llm-proxy-request-id';
const openai = new OpenAI({ baseURL: env('OPENAI_BASE_URL'), apiKey: env('OPENAI_API_KEY'), maxRetries: 0 });
const out = { ids: {} };

const created = await openai.responses.create({ model: 'gpt-mock', input: 'Say hello' }).withResponse();
out.ids.create = created.response.headers.get(REQUEST_ID);
out.text = created.data.output_text;
out.usage = created.data.usage;

const streamed = await openai.responses.create({ model: 'gpt-mock', input: 'Say hello', stream: true })
  .withResponse();
out.ids.stream = streamed.response.headers.get(REQUEST_ID);
let text = '';
const types = [];
for await (const event of streamed.data) {
  types.push(event.type);
  if (event.type === 'response.output_text.delta') text += event.delta;
  if (event.type === 'response.completed') out.streamUsage = event.response.usage;
}
out.streamText = text;
out.streamEvents = types;

const retrieved = await openai.responses.retrieve(created.data.id).withResponse();
out.ids.retrieve = retrieved.response.headers.get(REQUEST_ID);
out.retrievedStatus = retrieved.data.status;

const cancelled = await openai.responses.cancel(created.data.id).withResponse();
out.ids.cancel = cancelled.response.headers.get(REQUEST_ID);
out.cancelledStatus = cancelled.data.status;

const items = await openai.responses.inputItems.list(created.data.id).withResponse();
out.ids.inputItems = items.response.headers.get(REQUEST_ID);
out.inputItems = items.data.data.length;

const deleted = await openai.responses.delete(created.data.id).withResponse();
out.ids.delete = deleted.response.headers.get(REQUEST_ID);

console.log(JSON.stringify(out));
