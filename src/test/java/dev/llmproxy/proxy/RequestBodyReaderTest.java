package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.DomainException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class RequestBodyReaderTest {
    private final FakeInputStream in = new FakeInputStream();
    private byte[] read;
    private DomainException refused;

    private final RequestBodyReader.Body consumer = new RequestBodyReader.Body() {
        @Override
        public void bodyRead(byte[] body) {
            read = body;
        }

        @Override
        public void bodyRefused(DomainException refusal) {
            refused = refusal;
        }

        @Override
        public void bodyFailed(Throwable failure) {
            throw new AssertionError(failure);
        }
    };

    private RequestBodyReader reader(long declared, long limit, InFlight inFlight) {
        RequestBodyReader reader = new RequestBodyReader(in, declared, limit, inFlight, consumer);
        in.setReadListener(reader);
        return reader;
    }

    @Test
    void aDeclaredLengthHoldsNothingUntilBytesArrive() throws IOException {
        InFlight inFlight = new InFlight(64 << 20, 0);
        reader(32L << 20, 32L << 20, inFlight);
        assertEquals(0, inFlight.bodyBytes(), "32 MiB declared, nothing sent: nothing held");
        in.send(new byte[100]);
        assertEquals(RequestBodyReader.FIRST_CHUNK, inFlight.bodyBytes(), "memory grows with what arrives");
    }

    @Test
    void aBodyIsReadWholeAndOnlyItsOwnBytesStayCounted() throws IOException {
        InFlight inFlight = new InFlight(1 << 20, 0);
        reader(-1, 1 << 20, inFlight);
        byte[] piece = new byte[20_000];
        piece[19_999] = 7;
        in.send(piece);
        in.send(piece);
        in.end();
        assertEquals(40_000, read.length);
        assertEquals(7, read[39_999]);
        assertEquals(40_000, inFlight.bodyBytes(), "the exchange gives these back when the call ends");
    }

    @Test
    void bodiesPastTheSharedBudgetAreRefusedAndGiveBackWhatTheyHeld() throws IOException {
        InFlight inFlight = new InFlight(40_000, 0);
        reader(-1, 1 << 20, inFlight);
        in.send(new byte[16_000]);
        in.send(new byte[20_000]); // the buffer would double to 32 KiB: over the 40,000 budget with the first
        assertEquals("request_bodies_full", refused.code());
        assertNull(read);
        assertEquals(0, inFlight.bodyBytes());
    }

    @Test
    void aBodyOverTheLimitIsRefusedAtOnce() throws IOException {
        InFlight inFlight = new InFlight(1 << 20, 0);
        reader(-1, 1_000, inFlight);
        in.send(new byte[1_001]);
        assertEquals("request_too_large", refused.code());
        assertEquals(0, inFlight.bodyBytes());
    }

    @Test
    void aStoppedReaderReadsNoMore() throws IOException {
        InFlight inFlight = new InFlight(1 << 20, 0);
        RequestBodyReader reader = reader(1_000, 1 << 20, inFlight);
        in.send(new byte[10]);
        reader.stop();
        in.send(new byte[10]);
        in.end();
        assertNull(read, "a body that timed out is not handed on");
        assertEquals(0, inFlight.bodyBytes());
    }

    @Test
    void callsPerTokenAreCountedAndForgottenWhenTheyEnd() {
        InFlight inFlight = new InFlight(1, 2);
        assertTrue(inFlight.startCall("t"));
        assertTrue(inFlight.startCall("t"));
        assertEquals(false, inFlight.startCall("t"));
        assertTrue(inFlight.startCall("other"));
        inFlight.endCall("t");
        assertTrue(inFlight.startCall("t"));
    }

    @Test
    void anEmptyChunkedBodyIsAnEmptyBody() throws IOException {
        InFlight inFlight = new InFlight(1 << 20, 0);
        reader(-1, 1 << 20, inFlight);
        in.end();
        assertArrayEquals(new byte[0], read);
    }
}
