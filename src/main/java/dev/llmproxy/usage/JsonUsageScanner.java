package dev.llmproxy.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a JSON response as it streams past, in constant memory whatever its size (an embeddings batch can be tens
 * of megabytes): Jackson's non-blocking parser is fed each chunk, and only the top-level {@code model} (Google's
 * {@code modelVersion}), the numbers under {@code usage} (Google's {@code usageMetadata}; the counts of Bedrock
 * InvokeModel bodies that have some, {@link ProviderUsage#BEDROCK_BODY_COUNTS}), and the answer's text (for
 * an estimate when there is no usage) are kept. A top-level array of responses (Google's
 * {@code streamGenerateContent} without {@code alt=sse}) is read as its responses one after the other, the last
 * {@code usageMetadata} counting: each carries the call's usage so far. Strings are
 * shortened to {@value #MAX_TEXT} bytes before the parser sees them ({@link StringClipper}), since it holds each
 * string whole.
 */
public final class JsonUsageScanner {
    private static final JsonFactory FACTORY = dev.llmproxy.JsonFactories.factory();
    private static final int MAX_TEXT = 1 << 20;

    private final JsonParser parser;
    private final Deque<String> path = new ArrayDeque<>();
    private final Map<String, Long> numbers = new HashMap<>();
    private final StringBuilder text = new StringBuilder();
    private final StringClipper clipper = new StringClipper(MAX_TEXT);
    private String field;
    private String model;
    private String modelVersion;
    private boolean broken;
    /** The body is an array of responses, each read as a top-level object. */
    private boolean rootArray;
    private boolean started;

    public JsonUsageScanner() {
        try {
            parser = FACTORY.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void feed(byte[] chunk) {
        if (broken) {
            return;
        }
        try {
            byte[] input = clipper.clip(chunk);
            ((ByteArrayFeeder) parser.getNonBlockingInputFeeder()).feedInput(input, 0, input.length);
            JsonToken token;
            while ((token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
                handle(token);
            }
        } catch (IOException e) {
            broken = true; // not JSON after all; the record falls back to an estimate
        }
    }

    private void handle(JsonToken token) throws IOException {
        boolean first = !started;
        started = true;
        switch (token) {
            case FIELD_NAME -> field = parser.currentName();
            case START_OBJECT, START_ARRAY -> {
                if (first) {
                    rootArray = token == JsonToken.START_ARRAY;
                }
                if (ProviderUsage.GEMINI.equals(field) && path.size() == (rootArray ? 2 : 1)) {
                    // a later response's usage replaces an earlier one's, fields it leaves out included
                    numbers.keySet().removeIf(k -> k.startsWith(ProviderUsage.GEMINI + "."));
                }
                path.push(field == null ? "[]" : field);
                field = null;
            }
            case END_OBJECT, END_ARRAY -> {
                path.pop();
                field = null;
            }
            case VALUE_NUMBER_INT -> {
                String at = pathTo(field);
                if (at.startsWith("usage.") || at.startsWith(ProviderUsage.GEMINI + ".")
                        || ProviderUsage.BEDROCK_BODY_COUNTS.contains(at)) {
                    // a number past a long counts as the most there can be, as in a stream (UsageMeter.collect)
                    long value = parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER ? parser.getLongValue()
                            : parser.getBigIntegerValue().signum() < 0 ? 0 : Long.MAX_VALUE;
                    // one count per result of an array (Titan's results), added up, bounded
                    numbers.merge(at, value, (a, b) -> at.contains(".[].") ? ProviderUsage.bounded(a) + ProviderUsage
                            .bounded(b) : b);
                }
            }
            case VALUE_STRING -> {
                String at = pathTo(field);
                if (at.equals("model")) {
                    model = parser.getText();
                } else if (at.equals("modelVersion")) {
                    modelVersion = parser.getText();
                } else if (isAnswerText(at) && text.length() < MAX_TEXT) {
                    text.append(parser.getText());
                }
            }
            default -> { }
        }
        if (token.isScalarValue() && !path.isEmpty() && path.peek().equals("[]")) {
            field = null;
        }
    }

    /** The dotted path from the top-level object, e.g. {@code usage.prompt_tokens_details.cached_tokens}. */
    private String pathTo(String name) {
        StringBuilder sb = new StringBuilder();
        var it = path.descendingIterator();
        if (it.hasNext()) {
            it.next(); // the root object
        }
        if (rootArray && it.hasNext()) {
            it.next(); // the response within the root array
        }
        while (it.hasNext()) {
            sb.append(it.next()).append('.');
        }
        return sb.append(name == null ? "[]" : name).toString();
    }

    private static boolean isAnswerText(String at) {
        return at.equals("choices.[].message.content") || at.equals("choices.[].text") || at.equals("content.[].text")
                || at.equals("output.[].content.[].text") || at.equals("candidates.[].content.parts.[].text")
                || at.equals("output.message.content.[].text")
                // Bedrock InvokeModel bodies: Llama's, Mistral's, Titan Text's, Cohere Command's
                || at.equals("generation") || at.equals("outputs.[].text") || at.equals("results.[].outputText")
                || at.equals("generations.[].text");
    }

    /** The top-level {@code model}, else Google's {@code modelVersion}; null when the body names neither. */
    public String model() {
        return model != null ? model : modelVersion;
    }

    /** Numbers under {@code usage}, keyed by dotted path. */
    public Map<String, Long> usageNumbers() {
        return numbers;
    }

    public String answerText() {
        return text.toString();
    }
}
