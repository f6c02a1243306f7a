package dev.podnet.dataplane.netfilter;

import dev.podnet.dataplane.Addresses;
import inet.ipaddr.IPAddress;
import java.util.Locale;

/**
 * One IPv4/IPv6 packet as netfilter sees it at a hook: header fields, the interfaces it came in on / goes out of,
 * the bridge ports (physdev) for bridged frames, its conntrack state and its skb mark.
 *
 * @param src            source address
 * @param dst            destination address
 * @param protocol       lower-case protocol name ({@code tcp}, {@code udp}, {@code icmp}, {@code sctp}, ...)
 * @param sport          source port, -1 when the protocol has none
 * @param dport          destination port, -1 when the protocol has none
 * @param inInterface    input interface ({@code -i}), null on OUTPUT
 * @param outInterface   output interface ({@code -o}), null on PREROUTING/INPUT
 * @param physdevIn      bridge port the frame entered on, null when not via a bridge port
 * @param physdevOut     bridge port the frame leaves by, null when not known/bridged
 * @param physdevBridged true when the frame is bridged (not routed) by the bridge
 * @param ctState        conntrack state
 * @param mark           the skb mark (32 bits)
 */
public record Packet(IPAddress src, IPAddress dst, String protocol, int sport, int dport,
                     String inInterface, String outInterface, String physdevIn, String physdevOut,
                     boolean physdevBridged, CtState ctState, long mark) {

    public Packet {
        protocol = protocol.toLowerCase(Locale.ROOT);
        src = Addresses.plain(src);
        dst = Addresses.plain(dst);
    }

    /** A NEW packet with mark 0 and no interfaces yet. */
    public static Packet of(String src, String dst, String protocol, int sport, int dport) {
        return new Packet(Addresses.address(src), Addresses.address(dst), protocol, sport, dport, null, null, null,
                null, false, CtState.NEW, 0);
    }

    public Packet withSrc(IPAddress a) {
        return new Packet(a, dst, protocol, sport, dport, inInterface, outInterface, physdevIn, physdevOut,
                physdevBridged, ctState, mark);
    }

    public Packet withDst(IPAddress a, int port) {
        return new Packet(src, a, protocol, sport, port, inInterface, outInterface, physdevIn, physdevOut,
                physdevBridged, ctState, mark);
    }

    public Packet withSport(int port) {
        return new Packet(src, dst, protocol, port, dport, inInterface, outInterface, physdevIn, physdevOut,
                physdevBridged, ctState, mark);
    }

    public Packet withInterfaces(String in, String out) {
        return new Packet(src, dst, protocol, sport, dport, in, out, physdevIn, physdevOut, physdevBridged, ctState,
                mark);
    }

    public Packet withPhysdev(String in, String out, boolean bridged) {
        return new Packet(src, dst, protocol, sport, dport, inInterface, outInterface, in, out, bridged, ctState,
                mark);
    }

    public Packet withCtState(CtState s) {
        return new Packet(src, dst, protocol, sport, dport, inInterface, outInterface, physdevIn, physdevOut,
                physdevBridged, s, mark);
    }

    public Packet withMark(long m) {
        return new Packet(src, dst, protocol, sport, dport, inInterface, outInterface, physdevIn, physdevOut,
                physdevBridged, ctState, m & 0xffffffffL);
    }

    /** True for protocols with 16-bit ports (tcp, udp, udplite, sctp, dccp). */
    public boolean hasPorts() {
        return switch (protocol) {
            case "tcp", "udp", "udplite", "sctp", "dccp" -> true;
            default -> false;
        };
    }

    /** A one-line summary: {@code tcp 10.0.0.2:3456 -> 10.0.0.3:80 in=cni0 out=cni0 mark=0x0 NEW}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(protocol).append(' ').append(Addresses.text(src));
        if (sport >= 0) {
            b.append(':').append(sport);
        }
        b.append(" -> ").append(Addresses.text(dst));
        if (dport >= 0) {
            b.append(':').append(dport);
        }
        if (inInterface != null) {
            b.append(" in=").append(inInterface);
        }
        if (outInterface != null) {
            b.append(" out=").append(outInterface);
        }
        if (physdevIn != null) {
            b.append(" physdev-in=").append(physdevIn);
        }
        if (physdevOut != null) {
            b.append(" physdev-out=").append(physdevOut);
        }
        if (physdevBridged) {
            b.append(" bridged");
        }
        return b.append(" mark=0x").append(Long.toHexString(mark)).append(' ').append(ctState).toString();
    }
}
