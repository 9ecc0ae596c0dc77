package dev.tally.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Whether something already listens on a port, asked the only reliable way: by trying to bind it. */
final class Ports {

    private Ports() {
    }

    /**
     * Binds the wildcard address, which conflicts with a listener on any local address (127.0.0.1,
     * ::1 or all interfaces), so a server that only listens on loopback is found too.
     */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void requireFree(int port, String user) {
        if (!isFree(port)) {
            throw new StartupFailedException("port " + port + " for " + user + " is already in use");
        }
    }
}
