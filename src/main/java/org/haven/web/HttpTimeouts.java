package org.haven.web;

/**
 * Deadlines for the JDK's built-in HTTP server, which reads a request on a pool thread: without them a few clients
 * that stall mid-header hold every thread and lock everyone out. The JDK reads these properties once, when the first
 * server of the process is created, so every server Haven makes (review UI, metrics) calls {@link #apply()} first.
 */
public final class HttpTimeouts {
    private HttpTimeouts() {}

    public static void apply() {
        // seconds: a request must be read within 10 s, a response written within 120 s
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) System.setProperty("sun.net.httpserver.maxReqTime", "10");
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) System.setProperty("sun.net.httpserver.maxRspTime", "120");
    }
}
