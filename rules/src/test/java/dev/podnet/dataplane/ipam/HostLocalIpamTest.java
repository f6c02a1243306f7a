package dev.podnet.dataplane.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.podnet.dataplane.ipam.HostLocalConfig.Request;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostLocalIpamTest {
    static final ObjectMapper M = new ObjectMapper();

    static JsonNode json(String s) {
        try {
            return M.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static HostLocalConfig conf(String ipam) throws IpamException {
        return HostLocalConfig.load(json(ipam), "1.0.0", Request.none());
    }

    static String alloc(HostLocalConfig c, IpamStore s, String id) throws IpamException {
        return HostLocalIpam.add(c, s, id, "eth0").ips().get(0).address().toString();
    }

    @Test
    void defaultsSkipTheGatewayAndAllocateInOrder() throws IpamException {
        HostLocalConfig c = conf("{\"type\":\"host-local\",\"subnet\":\"10.88.0.0/24\"}");
        IpamRange r = c.rangeSets().get(0).get(0);
        assertThat(r.toString()).isEqualTo("10.88.0.1-10.88.0.254");
        assertThat(r.gateway().toString()).isEqualTo("10.88.0.1");
        IpamStore s = new IpamStore();
        assertThat(alloc(c, s, "a")).isEqualTo("10.88.0.2/24");
        HostLocalIpam.Result b = HostLocalIpam.add(c, s, "b", "eth0");
        assertThat(b.ips().get(0).address().toString()).isEqualTo("10.88.0.3/24");
        assertThat(b.ips().get(0).gateway().toString()).isEqualTo("10.88.0.1");
    }

    @Test
    void allocationContinuesAfterTheLastReservedAddressAndWraps() throws IpamException {
        HostLocalConfig c = conf("{\"ranges\":[[{\"subnet\":\"10.1.0.0/24\",\"rangeStart\":\"10.1.0.10\","
                + "\"rangeEnd\":\"10.1.0.12\"}]]}");
        IpamStore s = new IpamStore();
        assertThat(alloc(c, s, "a")).isEqualTo("10.1.0.10/24");
        assertThat(alloc(c, s, "b")).isEqualTo("10.1.0.11/24");
        s.release("a", "eth0");
        // round robin: .12 next, not the freed .10
        assertThat(alloc(c, s, "c")).isEqualTo("10.1.0.12/24");
        // after the end it wraps to rangeStart and finds the freed .10
        assertThat(alloc(c, s, "d")).isEqualTo("10.1.0.10/24");
        assertThat(s.lastReserved("0").orElseThrow().toString()).isEqualTo("10.1.0.10");
    }

    @Test
    void lastReservedFromAnExistingNodeIsHonoured() throws IpamException {
        HostLocalConfig c = conf("{\"subnet\":\"10.88.0.0/24\"}");
        IpamStore s = new IpamStore();
        s.setLastReserved("0", dev.podnet.dataplane.Addresses.address("10.88.0.100"));
        assertThat(alloc(c, s, "a")).isEqualTo("10.88.0.101/24");
    }

    @Test
    void exhaustionUsesThePluginText() throws IpamException {
        HostLocalConfig c = conf("{\"ranges\":[[{\"subnet\":\"10.0.0.0/30\"},{\"subnet\":\"10.0.1.0/30\"}]]}");
        IpamStore s = new IpamStore();
        assertThat(alloc(c, s, "a")).isEqualTo("10.0.0.2/30");
        assertThat(alloc(c, s, "b")).isEqualTo("10.0.1.2/30");
        assertThatThrownBy(() -> alloc(c, s, "c")).isInstanceOf(IpamException.class).hasMessage(
                "failed to allocate for range 0: no IP addresses available in range set: "
                        + "10.0.0.1-10.0.0.2,10.0.1.1-10.0.1.2");
        assertThat(s.allocated()).hasSize(2);
    }

    @Test
    void requestedAddresses() throws IpamException {
        JsonNode ipam = json("{\"subnet\":\"10.88.0.0/24\"}");
        IpamStore s = new IpamStore();
        HostLocalConfig c = HostLocalConfig.load(ipam, "1.0.0", Request.cniArgs("IgnoreUnknown=1;IP=10.88.0.50"));
        assertThat(alloc(c, s, "a")).isEqualTo("10.88.0.50/24");
        assertThatThrownBy(() -> alloc(c, s, "b")).hasMessage(
                "failed to allocate for range 0: requested IP address 10.88.0.50 is not available in range set "
                        + "10.88.0.1-10.88.0.254");
        HostLocalConfig gw = HostLocalConfig.load(ipam, "1.0.0",
                new Request("", List.of(), List.of("10.88.0.1/24"), null));
        assertThatThrownBy(() -> alloc(gw, s, "c")).hasMessage(
                "failed to allocate for range 0: requested ip 10.88.0.1 is subnet's gateway");
        HostLocalConfig out = HostLocalConfig.load(ipam, "1.0.0",
                new Request("", List.of("10.99.0.1"), List.of(), null));
        assertThatThrownBy(() -> alloc(out, s, "d")).hasMessage("failed to allocate all requested IPs: 10.99.0.1");
        assertThat(s.byId("d", "eth0")).isEmpty();
    }

    @Test
    void duplicateAllocationIsRefused() throws IpamException {
        HostLocalConfig c = conf("{\"subnet\":\"10.88.0.0/24\"}");
        IpamStore s = new IpamStore();
        alloc(c, s, "a");
        assertThatThrownBy(() -> alloc(c, s, "a")).hasMessage(
                "failed to allocate for range 0: 10.88.0.2 has been allocated to a, duplicate allocation is not "
                        + "allowed");
    }

    @Test
    void dualStackGivesOneAddressPerRangeSet() throws IpamException {
        HostLocalConfig c = conf("{\"ranges\":[[{\"subnet\":\"10.88.0.0/24\"}],[{\"subnet\":\"fd00:10::/64\"}]]}");
        HostLocalIpam.Result r = HostLocalIpam.add(c, new IpamStore(), "a", "eth0");
        assertThat(r.ips()).extracting(ip -> ip.address().toString())
                .containsExactly("10.88.0.2/24", "fd00:10::2/64");
        assertThat(c.rangeSets().get(1).get(0).rangeEnd().toString()).isEqualTo("fd00:10::ffff:ffff:ffff:ffff");
    }

    @Test
    void configErrorsUseThePluginText() {
        assertThatThrownBy(() -> conf("{\"type\":\"host-local\"}")).hasMessage("no IP ranges specified");
        assertThatThrownBy(() -> conf("{\"subnet\":\"10.0.0.0/31\"}"))
                .hasMessage("invalid range set 0: Network 10.0.0.0/31 too small to allocate from");
        assertThatThrownBy(() -> conf("{\"subnet\":\"10.0.0.0/24\",\"gateway\":\"10.0.1.1\"}"))
                .hasMessage("invalid range set 0: gateway 10.0.1.1 not in network 10.0.0.0/24");
        assertThatThrownBy(() -> conf("{\"subnet\":\"10.0.0.0/24\",\"rangeStart\":\"10.0.0.20\","
                + "\"rangeEnd\":\"10.0.0.10\"}"))
                .hasMessage("invalid range set 0: 10.0.0.10 is in network 10.0.0.0/24 but before start 10.0.0.20");
        assertThatThrownBy(() -> conf("{\"ranges\":[[{\"subnet\":\"10.0.0.0/24\"}],[{\"subnet\":\"10.0.0.0/25\"}]]}"))
                .hasMessage("range set 0 overlaps with 1");
        assertThatThrownBy(() -> HostLocalConfig.load(
                json("{\"ranges\":[[{\"subnet\":\"10.0.0.0/24\"}],[{\"subnet\":\"10.1.0.0/24\"}]]}"), "0.2.0",
                Request.none())).hasMessage("CNI version 0.2.0 does not support more than 1 address per family");
        assertThatThrownBy(() -> conf("{\"ranges\":[[]]}")).hasMessage("invalid range set 0: empty range set");
    }

    @Test
    void oldStyleRangeComesBeforeRanges() throws IpamException {
        HostLocalConfig c = conf("{\"subnet\":\"10.2.0.0/24\",\"ranges\":[[{\"subnet\":\"fd00::/120\"}]],"
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"192.0.2.0/24\",\"gw\":\"10.2.0.254\"}]}");
        assertThat(c.rangeSets()).hasSize(2);
        assertThat(c.rangeSets().get(0).get(0).subnet().toString()).isEqualTo("10.2.0.0/24");
        assertThat(c.routes()).hasSize(2);
        assertThat(c.routes().get(1).gw().toString()).isEqualTo("10.2.0.254");
    }
}
