package dev.llmproxy.usage;

/**
 * Shortens every JSON string of a byte stream to at most a limit of bytes, chunk by chunk, before the stream reaches
 * Jackson's non-blocking parser: that parser holds a string whole until it ends, and refuses one over its 20 MB
 * read constraint, so a provider's answer with one huge string (#14: a 48 MiB body) cost that much memory and then
 * lost its usage. A string is cut only where a character begins (never inside an escape or a UTF-8 sequence), so
 * what passes is still valid JSON; the bytes after the cut are dropped up to the string's closing quote.
 */
final class StringClipper {
    private final int limit;
    private boolean inString;
    private boolean escaped;
    private int hexLeft;
    private int kept;
    private boolean clipping;

    StringClipper(int limit) {
        this.limit = limit;
    }

    /** The chunk with what lies past the limit in each string left out; the same array when nothing is. */
    byte[] clip(byte[] chunk) {
        byte[] out = null;
        int n = 0;
        for (int i = 0; i < chunk.length; i++) {
            byte b = chunk[i];
            boolean keep = keep(b);
            if (!keep && out == null) {
                out = new byte[chunk.length];
                System.arraycopy(chunk, 0, out, 0, i);
                n = i;
            }
            if (keep && out != null) {
                out[n++] = b;
            }
        }
        if (out == null) {
            return chunk;
        }
        byte[] clipped = new byte[n];
        System.arraycopy(out, 0, clipped, 0, n);
        return clipped;
    }

    private boolean keep(byte b) {
        if (!inString) {
            if (b == '"') {
                inString = true;
                kept = 0;
                clipping = false;
            }
            return true;
        }
        boolean startsACharacter = !escaped && hexLeft == 0 && (b & 0xC0) != 0x80;
        if (startsACharacter && b == '"') {
            inString = false; // the closing quote always passes
            return true;
        }
        if (!clipping && startsACharacter && kept >= limit) {
            clipping = true;
        }
        if (hexLeft > 0) {
            hexLeft--;
        } else if (escaped) {
            escaped = false;
            if (b == 'u') {
                hexLeft = 4;
            }
        } else if (b == '\\') {
            escaped = true;
        }
        if (clipping) {
            return false;
        }
        kept++;
        return true;
    }
}
