package dev.tally.security.edge;

import io.quarkus.runtime.configuration.MemorySize;
import dev.tally.problems.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The body limit a client sees ({@code tally.http.max-body-size}), enforced while a resource's body is
 * read. A body that declares its length is refused earlier, by {@link HttpLayerErrors}; a chunked one
 * has no length up front, and RESTEasy's own limit ({@code quarkus.http.limits.max-body-size}) answers
 * with a bare 413 and no body. So a service sets RESTEasy's limit above ours (the command service:
 * 1 MiB against 64 KiB) and this counts the bytes the reader takes: past our limit the read fails
 * {@link TooLarge}, answered here as problem+json 413 {@code payload-too-large}. Only a chunked
 * body past RESTEasy's limit still gets the bare 413 (the security README says so).
 */
@Provider
public class BodyLimit implements ReaderInterceptor {

    private final long maxBytes;

    BodyLimit(@ConfigProperty(name = "tally.http.max-body-size") Optional<MemorySize> limit,
              @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize decoderLimit) {
        this.maxBytes = maxBodyBytes(limit, decoderLimit);
    }

    /** Our limit; without one, RESTEasy's, which then stays the only one. */
    static long maxBodyBytes(Optional<MemorySize> limit, MemorySize decoderLimit) {
        return limit.orElse(decoderLimit).asLongValue();
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        context.setInputStream(new Bounded(context.getInputStream(), maxBytes));
        return context.proceed();
    }

    @ServerExceptionMapper
    public Response tooLarge(TooLarge refused) {
        return Problem.of(413, Problem.codeFor(413), refused.getMessage()).toResponse();
    }

    /**
     * An IOException on purpose: Jackson passes a plain IOException from the stream through as it is,
     * where any other exception would come out wrapped as a field's "wrong type or shape".
     */
    public static final class TooLarge extends IOException {
        TooLarge(long maxBytes) {
            super("The request body is larger than " + maxBytes + " bytes.");
        }
    }

    /** Fails the read as soon as more than {@code maxBytes} have come through. */
    static final class Bounded extends FilterInputStream {

        private final long maxBytes;
        private long read;

        Bounded(InputStream in, long maxBytes) {
            super(in);
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            counted(skipped);
            return skipped;
        }

        @Override
        public boolean markSupported() {
            // A reset would let the same bytes be counted twice or, worse, a reader skip the count.
            return false;
        }

        private void counted(long n) throws TooLarge {
            read += n;
            if (read > maxBytes) {
                throw new TooLarge(maxBytes);
            }
        }
    }
}
