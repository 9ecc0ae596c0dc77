package dev.tally.security.edge;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * How long a request line and its headers may be. Vert.x enforces its own limits while decoding and
 * answers a bare 414 or 431 that no handler sees; so its limits are raised well above ours, and
 * {@link HttpLayerErrors} refuses what exceeds ours with problem+json. Only a request past the
 * decoder's limits (a 64 KiB line, 64 KiB of headers) still gets Vert.x's bare answer.
 */
@ApplicationScoped
public class RequestLimits implements HttpServerOptionsCustomizer {

    /** The longest request target served: ids are at most 64 characters, so this is generous. */
    public static final int MAX_URI_LENGTH = 4096;
    /** Headers (names and values) of one request; a JWT of a few KiB fits many times over. */
    public static final int MAX_HEADERS_LENGTH = 16 * 1024;
    static final int DECODER_LIMIT = 64 * 1024;

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        // Far past MAX_URI_LENGTH, so that an overlong URI reaches our route and gets a problem+json 414
        // rather than the decoder's bare one.
        options.setMaxInitialLineLength(Math.max(options.getMaxInitialLineLength(), 4 * DECODER_LIMIT));
        options.setMaxHeaderSize(Math.max(options.getMaxHeaderSize(), DECODER_LIMIT));
        // HTTP/2 (h2c, which Java's HttpClient and curl upgrade to) has its own header limit, 8 KiB by
        // default, past which the stream is reset without any answer at all.
        long http2Headers = options.getInitialSettings().getMaxHeaderListSize();
        options.getInitialSettings().setMaxHeaderListSize(Math.max(http2Headers, DECODER_LIMIT));
    }
}
