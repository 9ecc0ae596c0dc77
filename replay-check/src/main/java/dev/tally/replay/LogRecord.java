package dev.tally.replay;

import java.util.Map;

/** One record of the events topic, as it was stored: what the replay feeds through today's code. */
public record LogRecord(int partition, long offset, long timestamp, String key, Map<String, byte[]> headers,
                        byte[] value) {

    public LogRecord {
        headers = Map.copyOf(headers);
    }
}
