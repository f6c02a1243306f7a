package dev.podnet.dataplane.ipam;

import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state host-local keeps on disk for one network ({@code <dataDir>/<network name>/}): one file per allocated
 * address holding the container ID and interface name, and {@code last_reserved_ip.<range set index>} per range
 * set (containernetworking/plugins {@code plugins/ipam/host-local/backend/disk/backend.go}). Mutable, not
 * thread-safe.
 */
public final class IpamStore {

    /**
     * Owner of an allocated address.
     *
     * @param containerId the container (sandbox) ID
     * @param ifName      the interface name in the container
     */
    public record Owner(String containerId, String ifName) {
    }

    private final Map<IPAddress, Owner> allocated = new LinkedHashMap<>();
    private final Map<String, IPAddress> lastReserved = new LinkedHashMap<>();

    /** The allocated addresses and their owners, in allocation order. */
    public Map<IPAddress, Owner> allocated() {
        return Map.copyOf(allocated);
    }

    /** Marks {@code ip} allocated to {@code owner} (e.g. state read from an existing node). */
    public void put(IPAddress ip, Owner owner) {
        allocated.put(ip.withoutPrefixLength(), owner);
    }

    /** The {@code last_reserved_ip.<rangeId>} content. */
    public Optional<IPAddress> lastReserved(String rangeId) {
        return Optional.ofNullable(lastReserved.get(rangeId));
    }

    /** Sets {@code last_reserved_ip.<rangeId>}. */
    public void setLastReserved(String rangeId, IPAddress ip) {
        lastReserved.put(rangeId, ip.withoutPrefixLength());
    }

    /** {@code Store.Reserve}: false when the address is taken; on success records it and the last reserved IP. */
    public boolean reserve(String id, String ifName, IPAddress ip, String rangeId) {
        IPAddress a = ip.withoutPrefixLength();
        if (allocated.containsKey(a)) {
            return false;
        }
        allocated.put(a, new Owner(id, ifName));
        lastReserved.put(rangeId, a);
        return true;
    }

    /** {@code Store.GetByID}: addresses held by this container interface. */
    public List<IPAddress> byId(String id, String ifName) {
        List<IPAddress> out = new ArrayList<>();
        allocated.forEach((ip, o) -> {
            if (o.containerId().equals(id) && o.ifName().equals(ifName)) {
                out.add(ip);
            }
        });
        return out;
    }

    /** {@code Store.ReleaseByID}: frees every address of this container interface. */
    public void release(String id, String ifName) {
        allocated.values().removeIf(o -> o.containerId().equals(id) && o.ifName().equals(ifName));
    }
}
