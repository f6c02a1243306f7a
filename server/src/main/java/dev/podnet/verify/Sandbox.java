package dev.podnet.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podnet.apply.NodeApplier;
import dev.podnet.exec.ExecException;
import dev.podnet.exec.ExecResult;
import dev.podnet.exec.LocalRunner;
import dev.podnet.exec.NetnsRunner;
import dev.podnet.ruleset.Ruleset;
import dev.podnet.ruleset.RulesetGenerator;
import dev.podnet.runtime.CniRuntime;
import dev.podnet.verify.SandboxPlan.NodePlan;
import dev.podnet.verify.SandboxPlan.PodPlan;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway copy of a cluster's pod network on this machine, built from a {@link SandboxPlan}:
 * <ul>
 *   <li>one network namespace per node and per pod, plus one for the underlay, all named with the run's random
 *       prefix ({@code pnv-XXXXXX-n0}, {@code -p0}, {@code -u});</li>
 *   <li>the nodes joined by veth pairs to a bridge in the underlay namespace, each node routing the other nodes' pod
 *       subnets to them (flannel host-gw style), {@code net.ipv4.ip_forward=1}, {@code net.ipv4.icmp_ratelimit=0}
 *       (so REJECTed probes fail at once) and
 *       {@code net.bridge.bridge-nf-call-iptables} (per network namespace) set inside each node namespace;</li>
 *   <li>every pod attached by the real {@code bridge} + {@code host-local} CNI plugins, run through
 *       {@link CniRuntime} inside its node namespace with a conflist generated per node (bridge {@code cni0},
 *       isGateway/isDefaultGateway, hairpinMode as configured, host-local {@code dataDir} in a temporary directory
 *       of this run) and {@code CNI_ARGS=IgnoreUnknown=1;IP=<pod IP>}, so pods keep their manifest IPs;</li>
 *   <li>each node programmed with {@link RulesetGenerator#generate(dev.podnet.inventory.Inventory, String)} for its
 *       pods through {@link NodeApplier} (a {@link NetnsRunner}), and with the ruleset's kube-proxy-style nat rules
 *       when the inventory has Services;</li>
 *   <li>socat echo listeners ({@code TCP-LISTEN ... PIPE}, {@code UDP-RECVFROM ... PIPE}, {@code SCTP-LISTEN ...
 *       PIPE}) in the pod namespaces, and probes that send a token from a pod namespace and wait for it to come
 *       back.</li>
 * </ul>
 * {@link #close()} (also run by a JVM shutdown hook, so on Ctrl-C) kills the listeners and probes this run started,
 * deletes the namespaces it created (which removes their veths and bridges) and the temporary directory with the
 * IPAM files. Nothing else is touched: no interface, route, rule or sysctl of the root namespace, and nothing named
 * with another run's prefix. The CNI plugins are not called with DEL: deleting a pod's namespace destroys its veth
 * pair, and the IPAM state lives only in this run's directory. Needs root, iproute2, iptables, ipset, socat and the
 * bridge and host-local plugins; the kernel module br_netfilter must be loaded for bridge-nf-call-iptables.
 */
public final class Sandbox implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration T = Duration.ofSeconds(60);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Name of the bridge the CNI plugin creates in each node namespace. */
    public static final String BRIDGE = "cni0";

    /**
     * How to build the sandbox.
     *
     * @param pluginDir            directory with the CNI plugin binaries (bridge, host-local)
     * @param hairpinMode          the bridge plugin's {@code hairpinMode} (hairpin on every pod's bridge port)
     * @param bridgeNfCallIptables {@code net.bridge.bridge-nf-call-iptables} in the node namespaces (0 or 1)
     * @param parallel             how many setup steps and probes run at once
     * @param probeTimeout         how long a probe waits for its reply (a timed-out probe is retried once with three
     *                             times as long before it counts as deny)
     * @param progress             progress messages (stderr), or null
     */
    public record Options(String pluginDir, boolean hairpinMode, int bridgeNfCallIptables, int parallel,
                          Duration probeTimeout, PrintWriter progress) {
    }

    private final SandboxPlan plan;
    private final Options options;
    private final LocalRunner local = new LocalRunner();
    private final List<String> namespaces = new ArrayList<>();
    private final Set<Process> processes = ConcurrentHashMap.newKeySet();
    private final Path tempDir;
    private final Thread hook;
    private final ExecutorService pool;
    private final ScheduledExecutorService watchdog;
    private boolean closed;
    private Boolean sctp;

    private Sandbox(SandboxPlan plan, Options options) throws VerifyException {
        this.plan = plan;
        this.options = options;
        try {
            this.tempDir = Files.createTempDirectory("podnet-verify-");
        } catch (IOException e) {
            throw new VerifyException("cannot create a temporary directory: " + e.getMessage(), e);
        }
        this.pool = Executors.newFixedThreadPool(Math.max(1, options.parallel()), r -> {
            Thread t = new Thread(r, "podnet-verify");
            t.setDaemon(true);
            return t;
        });
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "podnet-verify-watchdog");
            t.setDaemon(true);
            return t;
        });
        this.hook = new Thread(this::close, "podnet-verify-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** A fresh run prefix: {@code pnv-} and six random characters [a-z0-9] and {@code -}. */
    public static String newPrefix() {
        String abc = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder("pnv-");
        for (int i = 0; i < 6; i++) {
            sb.append(abc.charAt(RANDOM.nextInt(abc.length())));
        }
        return sb.append('-').toString();
    }

    /**
     * Builds the whole sandbox (namespaces, underlay, CNI attachments, rulesets). On failure everything created so
     * far is removed before the exception is thrown.
     *
     * @throws VerifyException when a step fails (the message names the step and the tool's error)
     */
    public static Sandbox create(SandboxPlan plan, Options options) throws VerifyException {
        Sandbox s = new Sandbox(plan, options);
        try {
            s.build();
            return s;
        } catch (VerifyException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** The plan this sandbox was built from. */
    public SandboxPlan plan() {
        return plan;
    }

    /** The namespaces this run created and has not deleted yet. */
    public synchronized List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    private void progress(String msg) {
        if (options.progress() != null) {
            options.progress().println("verify: " + msg);
            options.progress().flush();
        }
    }

    ExecResult run(List<String> argv) throws VerifyException {
        try {
            return local.run(argv, T);
        } catch (ExecException e) {
            throw new VerifyException(e.getMessage(), e);
        }
    }

    private ExecResult must(String... argv) throws VerifyException {
        ExecResult r = run(List.of(argv));
        if (!r.ok()) {
            throw new VerifyException(String.join(" ", argv) + " failed: " + (r.err() + r.out()).strip());
        }
        return r;
    }

    private void addNamespace(String name) throws VerifyException {
        synchronized (this) {
            if (closed) {
                throw new VerifyException("interrupted: the sandbox is being removed");
            }
        }
        must("ip", "netns", "add", name);
        boolean late;
        synchronized (this) {
            late = closed;
            if (!late) {
                namespaces.add(name);
            }
        }
        if (late) {
            run(List.of("ip", "netns", "del", name));
            throw new VerifyException("interrupted: the sandbox is being removed");
        }
        must("ip", "-n", name, "link", "set", "lo", "up");
    }

    private void build() throws VerifyException {
        long t0 = System.nanoTime();
        progress("sandbox " + plan.prefix() + ": " + plan.nodes().size() + " node(s), " + plan.pods().size()
                + " pod(s), underlay " + plan.underlay());
        addNamespace(plan.underlayNs());
        must("ip", "-n", plan.underlayNs(), "link", "add", "br0", "type", "bridge");
        must("ip", "-n", plan.underlayNs(), "link", "set", "br0", "up");
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < plan.nodes().size(); i++) {
            NodePlan n = plan.nodes().get(i);
            int idx = i;
            fs.add(pool.submit(() -> {
                buildNode(n, idx);
                return null;
            }));
        }
        await(fs);
        progress("sandbox ready in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    private void await(List<Future<?>> fs) throws VerifyException {
        VerifyException first = null;
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof VerifyException v ? v
                            : new VerifyException(String.valueOf(e.getCause()), e.getCause());
                }
            } catch (java.util.concurrent.CancellationException e) {
                if (first == null) {
                    first = new VerifyException("interrupted: the sandbox is being removed", e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VerifyException("interrupted", e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void buildNode(NodePlan n, int idx) throws VerifyException {
        addNamespace(n.ns());
        NetnsRunner node = new NetnsRunner(n.ns(), local);
        sysctl(n.ns(), "net.ipv4.ip_forward", "1");
        // REJECT answers with ICMP errors, which the kernel rate-limits per destination (a burst of about 6, then
        // one per icmp_ratelimit ms): without this, a pod with many denied probes would see timeouts instead.
        sysctl(n.ns(), "net.ipv4.icmp_ratelimit", "0");
        ExecResult brnf = run(List.of("ip", "netns", "exec", n.ns(), "sysctl", "-w",
                "net.bridge.bridge-nf-call-iptables=" + options.bridgeNfCallIptables()));
        if (!brnf.ok()) {
            throw new VerifyException("cannot set net.bridge.bridge-nf-call-iptables in " + n.ns() + " ("
                    + brnf.err().strip() + "): the br_netfilter kernel module is not loaded; load it with "
                    + "'modprobe br_netfilter' (podnet does not load kernel modules)");
        }
        String port = "n" + idx;
        must("ip", "-n", n.ns(), "link", "add", "ul0", "type", "veth", "peer", "name", port, "netns",
                plan.underlayNs());
        must("ip", "-n", plan.underlayNs(), "link", "set", port, "master", "br0", "up");
        must("ip", "-n", n.ns(), "addr", "add", n.underlayIp() + "/" + plan.underlay().getNetworkPrefixLength(),
                "dev", "ul0");
        must("ip", "-n", n.ns(), "link", "set", "ul0", "up");
        for (NodePlan other : plan.nodes()) {
            if (other != n) {
                must("ip", "-n", n.ns(), "route", "add", other.subnet().toCanonicalString(), "via",
                        other.underlayIp(), "dev", "ul0");
            }
        }
        ObjectNode conf = conflist(n, options.hairpinMode(), tempDir.resolve("ipam-" + n.ns()));
        CniRuntime cni = new CniRuntime(node, List.of(options.pluginDir()), T);
        for (PodPlan p : n.pods()) {
            addNamespace(p.ns());
            try {
                cni.add(conf, new CniRuntime.Attachment(plan.prefix() + p.ns(), "/var/run/netns/" + p.ns(), "eth0",
                        "IgnoreUnknown=1;IP=" + p.ip(), Map.of()));
            } catch (CniRuntime.CniException e) {
                throw new VerifyException("CNI ADD of pod " + p.key() + " (" + p.ip() + ") on node " + n.name()
                        + ": " + e.getMessage(), e);
            }
        }
        Ruleset rs = RulesetGenerator.generate(plan.placed(), n.name());
        StringWriter log = new StringWriter();
        try {
            new NodeApplier(node, n.ns(), new PrintWriter(log), false).apply(rs);
        } catch (NodeApplier.ApplyException e) {
            throw new VerifyException("applying the ruleset of node " + n.name() + ": " + e.getMessage(), e);
        }
        if (!rs.natRules().isEmpty()) {
            try {
                ExecResult r = node.run(List.of("iptables-restore", "-w", "--noflush"),
                        rs.natRules().getBytes(StandardCharsets.UTF_8), Map.of(), T);
                if (!r.ok()) {
                    throw new VerifyException("loading the Service nat rules on node " + n.name() + ": "
                            + r.err().strip());
                }
            } catch (ExecException e) {
                throw new VerifyException(e.getMessage(), e);
            }
        }
        progress("node " + n.name() + " (" + n.ns() + ", " + n.subnet() + "): " + n.pods().size() + " pod(s), "
                + rs.chains().size() + " chains, " + rs.ruleCount() + " rules");
    }

    private void sysctl(String ns, String key, String value) throws VerifyException {
        must("ip", "netns", "exec", ns, "sysctl", "-q", "-w", key + "=" + value);
    }

    /**
     * The bridge + host-local conflist of one node: bridge {@code cni0} as the pods' default gateway (address
     * {@code n.gateway()}), no masquerading, the given hairpin mode, host-local over the node's subnet with its
     * state in {@code dataDir}.
     */
    static ObjectNode conflist(NodePlan n, boolean hairpinMode, Path dataDir) {
        ObjectNode conf = JSON.createObjectNode();
        conf.put("cniVersion", "1.0.0");
        conf.put("name", "podnet-verify");
        ObjectNode bridge = conf.putArray("plugins").addObject();
        bridge.put("type", "bridge");
        bridge.put("bridge", BRIDGE);
        bridge.put("isGateway", true);
        bridge.put("isDefaultGateway", true);
        bridge.put("ipMasq", false);
        bridge.put("hairpinMode", hairpinMode);
        ObjectNode ipam = bridge.putObject("ipam");
        ipam.put("type", "host-local");
        ArrayNode ranges = ipam.putArray("ranges");
        ranges.addArray().addObject().put("subnet", n.subnet().toCanonicalString()).put("gateway", n.gateway());
        ipam.put("dataDir", dataDir.toString());
        return conf;
    }

    /** True when the kernel can open SCTP sockets (checked once with socat in a scratch namespace of this run). */
    public synchronized boolean sctpSupported() throws VerifyException {
        if (sctp == null) {
            String ns = plan.prefix() + "sctp";
            addNamespace(ns);
            try {
                ExecResult r = local.run(List.of("ip", "netns", "exec", ns, "socat", "/dev/null",
                        "SCTP-LISTEN:9,bind=127.0.0.1,reuseaddr"), Duration.ofSeconds(2));
                // A kernel without SCTP fails at once with "Protocol not supported"; with SCTP the listener waits
                // and is ended by the timeout below.
                sctp = !r.err().contains("Protocol not supported") && !r.err().contains("Address family");
            } catch (ExecException e) {
                throw new VerifyException(e.getMessage(), e);
            } finally {
                deleteNamespace(ns);
            }
        }
        return sctp;
    }

    /**
     * Starts an echo listener for each probe in every pod namespace and waits until the kernel shows them all
     * listening ({@code ss}). SCTP probes are skipped when the kernel lacks SCTP.
     */
    public void startListeners(List<Probe> probes) throws VerifyException {
        List<Future<?>> fs = new ArrayList<>();
        for (PodPlan p : plan.pods()) {
            fs.add(pool.submit(() -> {
                Set<String> want = new HashSet<>();
                for (Probe probe : probes) {
                    if (probe.protocol().equals("SCTP") && !sctpSupported()) {
                        continue;
                    }
                    String addr = switch (probe.protocol()) {
                        case "TCP" -> "TCP-LISTEN:" + probe.port() + ",fork,reuseaddr";
                        case "UDP" -> "UDP-RECVFROM:" + probe.port() + ",fork,reuseaddr";
                        default -> "SCTP-LISTEN:" + probe.port() + ",fork,reuseaddr";
                    };
                    start(List.of("ip", "netns", "exec", p.ns(), "socat", addr, "PIPE"));
                    want.add(probe.protocol().toLowerCase(java.util.Locale.ROOT) + ":" + probe.port());
                }
                waitListening(p, want);
                return null;
            }));
        }
        await(fs);
    }

    private void waitListening(PodPlan p, Set<String> want) throws VerifyException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Set<String> seen = new HashSet<>();
        while (true) {
            boolean withSctp = want.stream().anyMatch(w -> w.startsWith("sctp:"));
            ExecResult r = run(List.of("ip", "netns", "exec", p.ns(), "ss", withSctp ? "-HlntuS" : "-Hlntu"));
            seen.clear();
            for (String line : r.out().split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 5) {
                    String local = f[4];
                    seen.add(f[0] + ":" + local.substring(local.lastIndexOf(':') + 1));
                }
            }
            if (seen.containsAll(want)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                Set<String> missing = new LinkedHashSet<>(want);
                missing.removeAll(seen);
                throw new VerifyException("the socat listeners " + missing + " of pod " + p.key()
                        + " did not start within 20 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VerifyException("interrupted", e);
            }
        }
    }

    private Process start(List<String> argv) throws VerifyException {
        return start(argv, false);
    }

    private Process start(List<String> argv, boolean readOutput) throws VerifyException {
        synchronized (this) {
            if (closed) {
                throw new VerifyException("interrupted: the sandbox is being removed");
            }
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD);
            if (!readOutput) {
                pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            }
            Process p = pb.start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new VerifyException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Probes every pair (source, destination) of the given pods for the probes, at most {@code parallel} at a
     * time, and records the verdicts; SCTP probes on a kernel without SCTP are recorded as not probed.
     *
     * @param table where the verdicts go
     */
    public void probeAll(List<Probe> probes, VerdictTable table) throws VerifyException {
        List<PodPlan> pods = new ArrayList<>(plan.pods());
        pods.sort(Comparator.comparing(PodPlan::key, VerdictTable.POD_ORDER));
        for (Probe probe : probes) {
            long t0 = System.nanoTime();
            if (probe.protocol().equals("SCTP") && !sctpSupported()) {
                table.markNotProbed(probe, "this kernel has no SCTP support (socket(AF_INET, SOCK_STREAM, "
                        + "IPPROTO_SCTP): Protocol not supported)");
                progress("[" + probe + "] not probed: no SCTP in this kernel");
                continue;
            }
            List<Future<?>> fs = new ArrayList<>();
            for (PodPlan from : pods) {
                for (PodPlan to : pods) {
                    fs.add(pool.submit(() -> {
                        table.put(probe, from.key(), to.key(), probe(from, to.ip(), probe));
                        return null;
                    }));
                }
            }
            await(fs);
            long allowed = pods.stream().flatMap(f -> pods.stream().map(t -> table.get(probe, f.key(), t.key())))
                    .filter(v -> v == Verdict.ALLOW).count();
            progress("[" + probe + "] " + fs.size() + " pairs probed: " + allowed + " allow, "
                    + (fs.size() - allowed) + " deny (" + (System.nanoTime() - t0) / 1_000_000 + " ms)");
        }
    }

    /**
     * Sends a token from a pod's namespace to {@code ip:port} and waits for the echo. A probe that neither got the
     * echo nor was refused before the timeout is tried once more with three times the timeout.
     *
     * @param from the source pod
     * @param ip   destination address (must be inside the sandbox: a pod IP or a Service ClusterIP)
     * @return ALLOW when the token came back, else DENY
     */
    public Verdict probe(PodPlan from, String ip, Probe probe) throws VerifyException {
        Attempt a = attempt(from, ip, probe, options.probeTimeout());
        if (a == Attempt.TIMED_OUT) {
            a = attempt(from, ip, probe, options.probeTimeout().multipliedBy(3));
        }
        return a == Attempt.ECHOED ? Verdict.ALLOW : Verdict.DENY;
    }

    private enum Attempt { ECHOED, FAILED, TIMED_OUT }

    private Attempt attempt(PodPlan from, String ip, Probe probe, Duration timeout) throws VerifyException {
        long secs = Math.max(1, (timeout.toMillis() + 999) / 1000);
        String addr = switch (probe.protocol()) {
            case "TCP" -> "TCP:" + ip + ":" + probe.port() + ",connect-timeout=" + secs;
            case "UDP" -> "UDP:" + ip + ":" + probe.port();
            default -> "SCTP:" + ip + ":" + probe.port() + ",connect-timeout=" + secs;
        };
        String token = "podnet-verify-" + Long.toHexString(RANDOM.nextLong());
        Process p = start(List.of("ip", "netns", "exec", from.ns(), "socat", "-T" + (secs + 1), "-", addr), true);
        boolean[] fired = new boolean[1];
        var kill = watchdog.schedule(() -> {
            synchronized (fired) {
                fired[0] = true;
            }
            p.destroyForcibly();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (OutputStream in = p.getOutputStream();
             BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                     StandardCharsets.UTF_8))) {
            in.write((token + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals(token)) {
                    return Attempt.ECHOED;
                }
            }
        } catch (IOException e) {
            // The process ended (refused, or killed by the watchdog): decided below.
        } finally {
            kill.cancel(false);
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            processes.remove(p);
        }
        synchronized (fired) {
            return fired[0] ? Attempt.TIMED_OUT : Attempt.FAILED;
        }
    }

    /** Runs {@code argv} inside a namespace of this sandbox (for tests and scenario checks). */
    public ExecResult exec(String ns, String... argv) throws VerifyException {
        if (!namespaces().contains(ns)) {
            throw new IllegalArgumentException(ns + " is not a namespace of this sandbox");
        }
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(argv));
        return run(full);
    }

    private void deleteNamespace(String ns) {
        try {
            local.run(List.of("ip", "netns", "del", ns), T);
        } catch (ExecException e) {
            // reported by the caller through namespaces() still listing it
        }
        synchronized (this) {
            namespaces.remove(ns);
        }
    }

    /**
     * Removes everything this run created: kills its listeners and probes, deletes its namespaces (pods first,
     * then nodes, then the underlay) and the temporary directory. Safe to call twice and from the shutdown hook.
     */
    @Override
    public void close() {
        List<String> toDelete;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toDelete = new ArrayList<>(namespaces);
        }
        for (Runnable queued : pool.shutdownNow()) {
            if (queued instanceof Future<?> f) {
                f.cancel(true);
            }
        }
        watchdog.shutdownNow();
        for (Process p : List.copyOf(processes)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : List.copyOf(processes)) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        java.util.Collections.reverse(toDelete);
        for (String ns : toDelete) {
            // Processes still inside (a socat child that outlived its parent) would keep the namespace alive.
            try {
                ExecResult pids = local.run(List.of("ip", "netns", "pids", ns), T);
                for (String pid : pids.out().split("\\s+")) {
                    if (pid.matches("\\d+")) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
            } catch (ExecException e) {
                // best effort
            }
            deleteNamespace(ns);
        }
        try (Stream<Path> s = Files.walk(tempDir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // already gone
        }
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down; the hook is this call's twin
            }
        }
        progress("sandbox " + plan.prefix() + " removed");
    }
}
