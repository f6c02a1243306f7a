package dev.podnet.dataplane.ipam;

/**
 * An error the host-local IPAM plugin would return; the message is the plugin's own error text (so it can be
 * compared with what {@code kubectl describe pod} shows after a failed sandbox creation).
 */
public class IpamException extends Exception {
    public IpamException(String message) {
        super(message);
    }
}
