// Drives an azure-openai project through LLM Proxy with the official openai SDK, as Azure's users do: the
// AzureOpenAI client (endpoint = the proxy, the proxy token as its api-key, deployment paths with api-version) and a
// plain OpenAI client on the v1 paths (base URL {proxy}/openai/v1). Prints, as JSON for the Java integration test
// (UsageContract), what came back, the errors raised and the proxy's request id of each call.
import OpenAI, { AzureOpenAI } from 'openai';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const REQUEST_ID = 'x-llm-proxy-request-id';
const endpoint = env('AZURE_OPENAI_ENDPOINT');
const apiKey = env('AZURE_OPENAI_API_KEY');
const azure = (deployment) => new AzureOpenAI({ endpoint, apiKey, apiVersion: '2024-10-21', deployment,
  maxRetries: 0 });
const messages = [{ role: 'user', content: 'Say hello' }];
const out = { ids: {}, errors: {} };

const chat = await azure('chat').chat.completions.create({ model: 'gpt-mock', messages }).withResponse();
out.ids.chat = chat.response.headers.get(REQUEST_ID);
out.text = chat.data.choices[0].message.content;
out.usage = chat.data.usage;

const streamed = await azure('chat').chat.completions.create({ model: 'gpt-mock', messages, stream: true })
  .withResponse();
out.ids.stream = streamed.response.headers.get(REQUEST_ID);
let text = '';
let sawUsage = false;
for await (const chunk of streamed.data) {
  if (chunk.usage) sawUsage = true;
  for (const choice of chunk.choices) text += choice.delta?.content ?? '';
}
out.streamText = text;
out.streamSawUsage = sawUsage;

const v1 = new OpenAI({ baseURL: `${endpoint}/openai/v1`, apiKey, maxRetries: 0 });
const v1chat = await v1.chat.completions.create({ model: 'chat', messages }).withResponse();
out.ids.v1chat = v1chat.response.headers.get(REQUEST_ID);
out.v1text = v1chat.data.choices[0].message.content;
const v1response = await v1.responses.create({ model: 'chat', input: 'Say hello' }).withResponse();
out.ids.v1response = v1response.response.headers.get(REQUEST_ID);
out.v1responseText = v1response.data.output_text;

for (const deployment of ['filtered', 'unnamed', 'mini']) {
  try {
    await azure(deployment).chat.completions.create({ model: 'gpt-mock', messages });
    out.errors[deployment] = { status: 200 };
  } catch (e) {
    if (!(e instanceof OpenAI.APIError)) throw e;
    out.errors[deployment] = { status: e.status, code: e.code, message: e.message,
      id: e.headers?.get?.(REQUEST_ID) ?? null };
  }
}

console.log(JSON.stringify(out));
