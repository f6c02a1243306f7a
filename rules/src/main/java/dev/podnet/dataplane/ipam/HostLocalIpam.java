package dev.podnet.dataplane.ipam;

import dev.podnet.dataplane.Addresses.IfAddress;
import dev.podnet.dataplane.ipam.HostLocalConfig.IpamRoute;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Simulates a host-local ADD (containernetworking/plugins {@code plugins/ipam/host-local/main.go} {@code cmdAdd}
 * and {@code backend/allocator/allocator.go}): one address per range set; a requested address is taken by the
 * range set that contains it; otherwise the allocator walks the range set round-robin starting after the range
 * set's last reserved address (or at rangeStart of its first range), skipping each range's gateway and taken
 * addresses, wrapping across ranges, and fails with the plugin's text when it comes back to where it started.
 */
public final class HostLocalIpam {
    private HostLocalIpam() {
    }

    /**
     * One allocated address.
     *
     * @param address the address with the range's prefix length
     * @param gateway the range's gateway
     */
    public record IpConfig(IfAddress address, IPAddress gateway) {
    }

    /**
     * The IPAM result.
     *
     * @param ips    one per range set
     * @param routes {@code ipam.routes}
     */
    public record Result(List<IpConfig> ips, List<IpamRoute> routes) {
    }

    /**
     * Allocates for one container interface, updating {@code store}; on failure the store is left as before.
     *
     * @throws IpamException with the plugin's error text
     */
    public static Result add(HostLocalConfig conf, IpamStore store, String containerId, String ifName)
            throws IpamException {
        Map<String, IPAddress> requested = new LinkedHashMap<>();
        for (IPAddress ip : conf.requestedIps()) {
            requested.put(ip.toCanonicalString(), ip.withoutPrefixLength());
        }
        List<IpConfig> ips = new ArrayList<>();
        for (int idx = 0; idx < conf.rangeSets().size(); idx++) {
            List<IpamRange> set = conf.rangeSets().get(idx);
            IPAddress req = null;
            for (Map.Entry<String, IPAddress> e : requested.entrySet()) {
                if (rangeFor(set, e.getValue()) != null) {
                    req = e.getValue();
                    requested.remove(e.getKey());
                    break;
                }
            }
            try {
                ips.add(get(set, store, String.valueOf(idx), containerId, ifName, req));
            } catch (IpamException e) {
                store.release(containerId, ifName);
                throw new IpamException("failed to allocate for range " + idx + ": " + e.getMessage());
            }
        }
        if (!requested.isEmpty()) {
            store.release(containerId, ifName);
            StringBuilder b = new StringBuilder("failed to allocate all requested IPs:");
            for (IPAddress ip : requested.values()) {
                b.append(' ').append(ip.toCanonicalString());
            }
            throw new IpamException(b.toString());
        }
        return new Result(ips, conf.routes());
    }

    private static IpamRange rangeFor(List<IpamRange> set, IPAddress ip) {
        for (IpamRange r : set) {
            if (r.contains(ip)) {
                return r;
            }
        }
        return null;
    }

    /** {@code IPAllocator.Get}. */
    static IpConfig get(List<IpamRange> set, IpamStore store, String rangeId, String id, String ifName,
                        IPAddress requested) throws IpamException {
        if (requested != null) {
            IpamRange r = rangeFor(set, requested);
            if (r == null) {
                throw new IpamException(requested.toCanonicalString() + " not in range set "
                        + HostLocalConfig.text(set));
            }
            if (requested.equals(r.gateway())) {
                throw new IpamException("requested ip " + requested.toCanonicalString() + " is subnet's gateway");
            }
            if (!store.reserve(id, ifName, requested, rangeId)) {
                throw new IpamException("requested IP address " + requested.toCanonicalString()
                        + " is not available in range set " + HostLocalConfig.text(set));
            }
            return config(r, requested);
        }
        for (IPAddress a : store.byId(id, ifName)) {
            if (rangeFor(set, a) != null) {
                throw new IpamException(a.toCanonicalString() + " has been allocated to " + id
                        + ", duplicate allocation is not allowed");
            }
        }
        Iter it = new Iter(set);
        IPAddress last = store.lastReserved(rangeId).orElse(null);
        if (last != null && rangeFor(set, last) != null) {
            for (int i = 0; i < set.size(); i++) {
                if (set.get(i).contains(last)) {
                    it.rangeIdx = i;
                    it.cur = last;
                    break;
                }
            }
        } else {
            it.startIp = set.get(0).rangeStart();
        }
        while (true) {
            IPAddress ip = it.next();
            if (ip == null) {
                break;
            }
            if (store.reserve(id, ifName, ip, rangeId)) {
                return config(set.get(it.rangeIdx), ip);
            }
        }
        throw new IpamException("no IP addresses available in range set: " + HostLocalConfig.text(set));
    }

    private static IpConfig config(IpamRange r, IPAddress ip) {
        IPAddress host = ip.withoutPrefixLength();
        return new IpConfig(new IfAddress(host, r.subnet()), r.gateway());
    }

    /** {@code RangeIter}. */
    private static final class Iter {
        final List<IpamRange> set;
        int rangeIdx;
        IPAddress cur;
        IPAddress startIp;

        Iter(List<IpamRange> set) {
            this.set = set;
        }

        IPAddress next() {
            while (true) {
                IpamRange r = set.get(rangeIdx);
                if (cur == null) {
                    cur = r.rangeStart();
                    startIp = cur;
                    if (cur.equals(r.gateway())) {
                        continue;
                    }
                    return cur;
                }
                if (cur.equals(r.rangeEnd())) {
                    rangeIdx = (rangeIdx + 1) % set.size();
                    r = set.get(rangeIdx);
                    cur = r.rangeStart();
                } else {
                    cur = cur.increment(1);
                }
                if (startIp == null) {
                    startIp = cur;
                } else if (cur.equals(startIp)) {
                    return null;
                }
                if (cur.equals(r.gateway())) {
                    continue;
                }
                return cur;
            }
        }
    }
}
