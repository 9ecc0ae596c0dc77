package dev.tally.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one request per connection, for requests {@link java.net.http.HttpClient}
 * refuses to send: any method, any request-target (percent-encoded as given), header values with
 * bytes outside ASCII, lying or missing content types, megabyte bodies. The request is always
 * well-formed HTTP: what is hostile is its meaning, not its framing.
 */
final class RawHttp {

    private static final int TIMEOUT_MS = 30_000;

    private RawHttp() {
    }

    record Request(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {
    }

    /** The answer; {@code status} is -1 and {@code failure} says why when none came. */
    record Response(int status, Map<String, String> headers, String body, String failure) {

        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    static Response send(int port, Request request) {
        return send(port, request, false);
    }

    /**
     * The body with {@code Transfer-Encoding: chunked}, in 8 KiB chunks: no length up front, so a server
     * learns that it is too large only while reading it. Sending stops as soon as an answer arrives.
     */
    static Response sendChunked(int port, Request request) {
        return send(port, request, true);
    }

    private static Response send(int port, Request request, boolean chunked) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(TIMEOUT_MS);
            StringBuilder head = new StringBuilder(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
            head.append("Host: 127.0.0.1:").append(port).append("\r\n").append("Connection: close\r\n");
            for (Map.Entry<String, String> header : request.headers()) {
                head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
            }
            byte[] body = request.body();
            if (body != null) {
                head.append(chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            // Latin-1: one byte per char, so header values can carry raw bytes above 0x7F.
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (chunked && body != null) {
                writeChunks(out, in, body);
                return read(in);
            }
            if (body != null && body.length > 0) {
                if (body.length > 16 * 1024 && answeredEarly(in)) {
                    // A server may refuse an oversized body from its Content-Length alone (413) and
                    // close: sending the body then would only get the answer lost in a reset.
                    return read(in);
                }
                try {
                    out.write(body);
                    out.flush();
                } catch (IOException resetWhileSending) {
                    // the server answered and closed before taking the whole body; read what it said
                }
            }
            return read(in);
        } catch (SocketTimeoutException e) {
            return new Response(-1, Map.of(), "", "no answer within " + TIMEOUT_MS / 1000 + " s");
        } catch (IOException e) {
            return new Response(-1, Map.of(), "", "connection failed: " + e);
        }
    }

    private static void writeChunks(OutputStream out, InputStream in, byte[] body) throws IOException {
        try {
            for (int from = 0; from < body.length; from += 8192) {
                if (in.available() > 0) {
                    return; // answered (and maybe closing): the rest would only get the answer lost in a reset
                }
                int length = Math.min(8192, body.length - from);
                out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, from, length);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException resetWhileSending) {
            // the server answered and closed before taking the whole body; read what it said
        }
    }

    private static boolean answeredEarly(InputStream in) throws IOException {
        long deadline = System.nanoTime() + 150_000_000L;
        while (System.nanoTime() < deadline) {
            if (in.available() > 0) {
                return true;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static Response read(InputStream in) throws IOException {
        while (true) {
            String statusLine = line(in);
            if (statusLine == null) {
                return new Response(-1, Map.of(), "", "connection closed without an answer");
            }
            String[] parts = statusLine.split(" ", 3);
            int status = Integer.parseInt(parts[1]);
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                headers.putIfAbsent(header.substring(0, colon).trim().toLowerCase(), header.substring(colon + 1).trim());
            }
            if (status == 100) {
                continue; // interim answer; the final one follows
            }
            byte[] body;
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = chunked(in);
            } else if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else {
                body = in.readAllBytes();
            }
            return new Response(status, headers, new String(body, StandardCharsets.UTF_8), null);
        }
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) {
                return body.toByteArray();
            }
            int length = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (length == 0) {
                for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                    // trailers are not used here
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(length));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        List<Byte> bytes = new ArrayList<>();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                bytes.add((byte) b);
            }
        }
        if (b == -1 && bytes.isEmpty()) {
            return null;
        }
        byte[] raw = new byte[bytes.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = bytes.get(i);
        }
        return new String(raw, StandardCharsets.ISO_8859_1);
    }
}
