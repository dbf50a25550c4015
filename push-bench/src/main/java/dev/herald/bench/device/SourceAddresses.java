package dev.herald.bench.device;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Local addresses that device sockets are bound to, round-robin. One source address can open only
 * about 28 000 connections (the ephemeral port range); spreading over {@code 127.0.0.2-127.0.0.9} (all
 * of 127/8 is loopback on Linux) lifts that limit for a load run on one machine.
 *
 * <p>Syntax: comma-separated addresses or inclusive IPv4 ranges, e.g. {@code 127.0.0.2-127.0.0.9} or
 * {@code 10.0.0.5,10.0.0.7-10.0.0.9}. Empty means "let the system choose".
 */
public final class SourceAddresses {

    /** A range longer than this is a typo, not a plan. */
    static final int MAX_ADDRESSES = 65_536;

    private final List<InetAddress> addresses;

    private SourceAddresses(List<InetAddress> addresses) {
        this.addresses = List.copyOf(addresses);
    }

    public static SourceAddresses none() {
        return new SourceAddresses(List.of());
    }

    public static SourceAddresses parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return none();
        }
        List<InetAddress> result = new ArrayList<>();
        for (String part : spec.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            int dash = item.indexOf('-');
            if (dash < 0) {
                result.add(address(item));
            } else {
                long from = ipv4(item.substring(0, dash).trim());
                long to = ipv4(item.substring(dash + 1).trim());
                if (to < from) {
                    throw new IllegalArgumentException("source address range " + item + " runs backwards");
                }
                if (to - from + 1 + result.size() > MAX_ADDRESSES) {
                    throw new IllegalArgumentException("source address range " + item + " is too large");
                }
                for (long a = from; a <= to; a++) {
                    result.add(fromIpv4(a));
                }
            }
        }
        return new SourceAddresses(result);
    }

    public List<InetAddress> addresses() {
        return addresses;
    }

    public boolean isEmpty() {
        return addresses.isEmpty();
    }

    /** The local address (port 0: any) for the device with this index, or {@code null} if none are set. */
    public InetSocketAddress forDevice(int index) {
        if (addresses.isEmpty()) {
            return null;
        }
        return new InetSocketAddress(addresses.get(Math.floorMod(index, addresses.size())), 0);
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + text);
        }
    }

    private static long ipv4(String text) {
        InetAddress a = address(text);
        if (!(a instanceof Inet4Address)) {
            throw new IllegalArgumentException("ranges need IPv4 addresses: " + text);
        }
        byte[] b = a.getAddress();
        return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
    }

    private static InetAddress fromIpv4(long value) {
        byte[] b = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return addresses.size() + " source addresses";
    }
}
