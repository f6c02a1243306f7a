package dev.podnet.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs commands on this machine with {@link ProcessBuilder} (no shell). */
public class LocalRunner implements CommandRunner {

    @Override
    public ExecResult run(List<String> argv, byte[] stdin, Map<String, String> env, Duration timeout)
            throws ExecException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(argv));
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ExecException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread to = pump(p.getInputStream(), out);
        Thread te = pump(p.getErrorStream(), err);
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // The process closed its input early; its exit status tells the rest.
        }
        boolean done;
        try {
            done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            to.join(2000);
            te.join(2000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ExecException("interrupted while running " + argv.get(0), e);
        }
        return new ExecResult(done ? p.exitValue() : -1, out.toByteArray(), err.toByteArray(), !done);
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
        Thread t = new Thread(() -> {
            try (in) {
                in.transferTo(sink);
            } catch (IOException e) {
                // stream closed when the process was killed
            }
        }, "podnet-exec-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public String describe() {
        return "local";
    }
}
