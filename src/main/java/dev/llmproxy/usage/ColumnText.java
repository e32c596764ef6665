package dev.llmproxy.usage;

/**
 * Text from a caller (a method, a path, a model name) made safe for a text column: control characters, NUL among them
 * (PostgreSQL refuses it in text), become {@code ?}; a lone surrogate (not valid UTF-8) becomes U+FFFD; and the
 * result is cut to the column's length without splitting a surrogate pair. Applied where a record is made, so the
 * record, the metrics and the reports all see the same value.
 */
final class ColumnText {
    private ColumnText() {
    }

    static String clamp(String text, int length) {
        if (text == null) {
            return null;
        }
        if (isClean(text, length)) {
            return text; // the common case costs one scan and no copy
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), length));
        for (int i = 0; i < text.length() && out.length() < length; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (out.length() + 2 > length) {
                    break;
                }
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c < 0x20 || c == 0x7F ? '?' : c);
            }
        }
        return out.toString();
    }

    private static boolean isClean(String text, int length) {
        if (text.length() > length) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
