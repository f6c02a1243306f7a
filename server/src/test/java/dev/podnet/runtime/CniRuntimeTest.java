package dev.podnet.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.podnet.cni.CniResult;
import dev.podnet.exec.LocalRunner;
import dev.podnet.exec.NetnsRunner;
import dev.podnet.testing.Kernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Java CNI runtime driving the real reference plugins inside network namespaces made by the test. */
class CniRuntimeTest {

    @Test
    void addCheckDelWithRealPlugins() throws Exception {
        Kernel.require("ip", "/usr/lib/cni/bridge", "ping");
        String node = Kernel.uniqueName("pn-rt-n-");
        String pod1 = Kernel.uniqueName("pn-rt-a-");
        String pod2 = Kernel.uniqueName("pn-rt-b-");
        Path ipam = Files.createTempDirectory("podnet-ipam");
        try {
            for (String ns : List.of(node, pod1, pod2)) {
                Kernel.sh("ip", "netns", "add", ns);
                Kernel.sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            }
            JsonNode conf = new ObjectMapper().readTree("""
                    {"cniVersion": "1.0.0", "name": "rt-test", "plugins": [
                      {"type": "bridge", "bridge": "cni0", "isGateway": true, "hairpinMode": true,
                       "ipam": {"type": "host-local", "subnet": "10.250.7.0/24", "dataDir": "%s"}},
                      {"type": "portmap", "capabilities": {"portMappings": true}}]}
                    """.formatted(ipam));
            CniRuntime rt = new CniRuntime(new NetnsRunner(node, new LocalRunner()), List.of("/usr/lib/cni"),
                    Duration.ofSeconds(20));
            assertThat(rt.version("bridge")).contains("1.0.0", "0.4.0");
            CniRuntime.Attachment a1 = new CniRuntime.Attachment("c-" + pod1, "/var/run/netns/" + pod1, "eth0",
                    "IgnoreUnknown=1;IP=10.250.7.10", Map.of());
            CniRuntime.Attachment a2 = new CniRuntime.Attachment("c-" + pod2, "/var/run/netns/" + pod2, "eth0", "",
                    Map.of());
            CniResult r1 = rt.add(conf, a1);
            CniResult r2 = rt.add(conf, a2);
            assertThat(r1.firstIPv4()).isEqualTo("10.250.7.10");
            assertThat(r2.firstIPv4()).startsWith("10.250.7.").isNotEqualTo("10.250.7.10");
            assertThat(r1.interfaces()).extracting(CniResult.Interface::name).contains("cni0", "eth0");
            Kernel.sh("ip", "netns", "exec", pod1, "ping", "-c1", "-W2", r2.firstIPv4());
            rt.check(conf, a1, r1);
            assertThatThrownBy(() -> rt.add(conf, a1)).isInstanceOf(CniRuntime.CniException.class)
                    .hasMessageContaining("failed (add)").hasMessageContaining("already exists");
            JsonNode missing = new ObjectMapper().readTree("{\"cniVersion\":\"1.0.0\",\"name\":\"x\","
                    + "\"plugins\":[{\"type\":\"no-such-plugin\"}]}");
            assertThatThrownBy(() -> rt.add(missing, a2)).hasMessageContaining("failed to find plugin "
                    + "\"no-such-plugin\" in path [/usr/lib/cni]");
            rt.del(conf, a1, r1);
            rt.del(conf, a1, r1);
            rt.del(conf, a2, r2);
            assertThat(Files.list(ipam.resolve("rt-test")).map(p -> p.getFileName().toString()))
                    .doesNotContain("10.250.7.10");
        } finally {
            for (String ns : List.of(pod1, pod2, node)) {
                Kernel.quiet("ip", "netns", "del", ns);
            }
            Kernel.quiet("rm", "-rf", ipam.toString());
        }
    }

    @Test
    void resultsOfEveryVersionAndErrors() {
        CniResult old = CniResult.parse("{\"cniVersion\":\"0.2.0\",\"ip4\":{\"ip\":\"10.1.0.5/24\",\"gateway\":"
                + "\"10.1.0.1\",\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}}");
        assertThat(old.firstIPv4()).isEqualTo("10.1.0.5");
        assertThat(old.routes()).hasSize(1);
        CniResult v031 = CniResult.parse("{\"cniVersion\":\"0.3.1\",\"interfaces\":[{\"name\":\"eth0\"}],\"ips\":"
                + "[{\"version\":\"4\",\"address\":\"10.1.0.6/24\",\"interface\":0}]}");
        assertThat(v031.ips().get(0).interfaceIndex()).isZero();
        var err = dev.podnet.cni.CniError.parse("{\"code\":7,\"msg\":\"missing network name\"}", "");
        assertThat(err.code()).isEqualTo(7);
        assertThat(dev.podnet.cni.CniError.parse("boom", "").msg()).isEqualTo("netplugin failed: \"boom\"");
        assertThatThrownBy(() -> CniResult.parse("[1]")).isInstanceOf(IllegalArgumentException.class);
    }
}
