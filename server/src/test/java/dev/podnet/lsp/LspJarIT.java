package dev.podnet.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the real shaded jar ({@code java -jar podnet.jar lsp}) and speaks LSP over its stdio with a strict
 * reader: every byte on stdout must belong to a {@code Content-Length} framed JSON-RPC message.
 */
class LspJarIT {
    @TempDir
    Path ws;

    /** A raw LSP client over a process's stdio. */
    static final class RawClient implements AutoCloseable {
        final Process process;
        final LinkedBlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
        final List<String> framingErrors = new ArrayList<>();
        private final OutputStream out;
        private final List<JsonObject> seen = new ArrayList<>();

        RawClient(Path jar, Path stderr, String... extra) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("java", "-jar", jar.toString(), "lsp"));
            cmd.addAll(List.of(extra));
            process = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
            out = process.getOutputStream();
            Thread reader = new Thread(this::readLoop, "raw-lsp-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void readLoop() {
            InputStream in = process.getInputStream();
            try {
                while (true) {
                    int length = -1;
                    while (true) {
                        String line = headerLine(in);
                        if (line == null) {
                            return;
                        }
                        if (line.isEmpty()) {
                            break;
                        }
                        if (line.startsWith("Content-Length: ")) {
                            length = Integer.parseInt(line.substring(16).trim());
                        } else if (!line.startsWith("Content-Type: ")) {
                            framingErrors.add("not an LSP header on stdout: " + line);
                        }
                    }
                    if (length < 0) {
                        framingErrors.add("message without Content-Length");
                        return;
                    }
                    byte[] body = in.readNBytes(length);
                    messages.add(JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject());
                }
            } catch (IOException | RuntimeException e) {
                framingErrors.add("bad message on stdout: " + e);
            }
        }

        private static String headerLine(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    String s = b.toString(StandardCharsets.US_ASCII);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                b.write(c);
            }
            return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
        }

        void send(String json) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            out.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        }

        /** The first message (received so far or later, in order) matching {@code p}. */
        JsonObject await(Predicate<JsonObject> p) throws InterruptedException {
            for (JsonObject m : seen) {
                if (p.test(m)) {
                    return m;
                }
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < end) {
                JsonObject m = messages.poll(100, TimeUnit.MILLISECONDS);
                if (m != null) {
                    seen.add(m);
                    if (p.test(m)) {
                        return m;
                    }
                }
            }
            throw new AssertionError("no matching message; received " + seen + "; framing " + framingErrors);
        }

        JsonObject response(int id) throws InterruptedException {
            return await(m -> m.has("id") && m.get("id").getAsInt() == id && !m.has("method"));
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    static Predicate<JsonObject> diagnosticsFor(String uri) {
        return m -> m.has("method") && m.get("method").getAsString().equals("textDocument/publishDiagnostics")
                && m.getAsJsonObject("params").get("uri").getAsString().equals(uri);
    }

    static String quote(String s) {
        return new com.google.gson.JsonPrimitive(s).toString();
    }

    @Test
    void speaksLspOverStdioAndExitsCleanly() throws Exception {
        Path jar = Jar.jar();
        String broken = Files.readString(Jar.editors().resolve("10-broken.conflist"));
        Path file = ws.resolve("10-broken.conflist");
        Files.writeString(file, broken);
        try (RawClient c = new RawClient(jar, ws.resolve("stderr.txt"))) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"processId\":"
                    + ProcessHandle.current().pid() + ",\"rootUri\":" + quote(ws.toUri().toString())
                    + ",\"capabilities\":{}}}");
            JsonObject init = c.response(1);
            assertThat(init.getAsJsonObject("result").getAsJsonObject("capabilities")
                    .getAsJsonObject("textDocumentSync").get("change").getAsInt()).isEqualTo(2);
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
            JsonObject pub = c.await(diagnosticsFor(file.toUri().toString()));
            JsonObject d = pub.getAsJsonObject("params").getAsJsonArray("diagnostics").get(0).getAsJsonObject();
            int line = 4;
            int col = broken.lines().toList().get(line).indexOf(",}");
            assertThat(d.get("code").getAsString()).isEqualTo("SYN001");
            assertThat(d.getAsJsonObject("range").toString()).isEqualTo("{\"start\":{\"line\":" + line
                    + ",\"character\":" + col + "},\"end\":{\"line\":" + line + ",\"character\":" + (col + 1) + "}}");

            String open = ws.resolve("open.conflist").toUri().toString();
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":"
                    + quote(open) + ",\"languageId\":\"\",\"version\":1,\"text\":"
                    + quote("{\"name\": \"n\", \"plugins\": [{\"type\": \"bridge\", \"isGateway\": true}]}") + "}}}");
            c.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"textDocument/hover\",\"params\":{\"textDocument\":"
                    + "{\"uri\":" + quote(open) + "},\"position\":{\"line\":0,\"character\":48}}}");
            JsonObject hover = c.response(2).getAsJsonObject("result");
            assertThat(hover.getAsJsonObject("contents").get("value").getAsString()).startsWith("**isGateway**");
            assertThat(hover.getAsJsonObject("range").toString())
                    .isEqualTo("{\"start\":{\"line\":0,\"character\":45},\"end\":{\"line\":0,\"character\":56}}");

            c.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"shutdown\"}");
            c.response(3);
            c.send("{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
            assertThat(c.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(c.process.exitValue()).isZero();
            assertThat(c.framingErrors).as("stdout carries only LSP messages").isEmpty();
        }
    }

    @Test
    void exitsWhenTheEditorProcessDies() throws Exception {
        Path jar = Jar.jar();
        Process editor = new ProcessBuilder("sleep", "120").start();
        try (RawClient c = new RawClient(jar, ws.resolve("stderr.txt"), "--client-poll-ms", "100")) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"processId\":"
                    + editor.pid() + ",\"capabilities\":{}}}");
            c.response(1);
            editor.destroy();
            assertThat(c.process.waitFor(30, TimeUnit.SECONDS)).as("server exits after its client died").isTrue();
            assertThat(c.process.exitValue()).isEqualTo(1);
        } finally {
            editor.destroyForcibly();
        }
    }

    @Test
    void exitsWhenStdinCloses() throws Exception {
        Path jar = Jar.jar();
        try (RawClient c = new RawClient(jar, ws.resolve("stderr.txt"))) {
            c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"processId\":null,"
                    + "\"capabilities\":{}}}");
            c.response(1);
            c.process.getOutputStream().close();
            assertThat(c.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(c.process.exitValue()).isEqualTo(1);
        }
    }
}
