package dev.herald.config.address;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address range in CIDR notation ({@code 192.168.0.0/16}, {@code 2001:db8::/32}); a
 * plain address is a range of one. Parsed from literals only: a host name is rejected, never resolved.
 * Host bits beyond the prefix are ignored ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}).
 */
public final class CidrBlock {

    private final byte[] network;
    private final int prefixLength;

    private CidrBlock(byte[] address, int prefixLength) {
        this.network = mask(address, prefixLength);
        this.prefixLength = prefixLength;
    }

    /** @throws IllegalArgumentException when {@code text} is not an address literal with an optional prefix */
    public static CidrBlock parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty address range");
        }
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String literal = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] address = NetUtil.createByteArrayFromIpAddressString(literal);
        if (address == null) {
            throw new IllegalArgumentException("not an IP address: " + literal);
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a prefix length: " + trimmed.substring(slash + 1));
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("prefix length must be 0.." + bits + ": " + trimmed);
            }
        }
        if (isIpv4Mapped(address) && prefix >= 96) {
            // ::ffff:a.b.c.d/n is the IPv4 range a.b.c.d/(n-96); Java presents such clients as IPv4.
            return new CidrBlock(Arrays.copyOfRange(address, 12, 16), prefix - 96);
        }
        return new CidrBlock(address, prefix);
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** Bytes of the address family: 4 or 16. */
    public int addressLength() {
        return network.length;
    }

    /** The network address (host bits cleared). */
    public byte[] network() {
        return network.clone();
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length && isIpv4Mapped(bytes)) {
            bytes = Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes.length == network.length && Arrays.equals(mask(bytes, prefixLength), network);
    }

    static byte[] mask(byte[] address, int prefixLength) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            masked[i] &= (byte) (0xFF00 >> keep);
        }
        return masked;
    }

    static boolean isIpv4Mapped(byte[] address) {
        if (address.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xFF && address[11] == (byte) 0xFF;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrBlock other && prefixLength == other.prefixLength && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of " + network.length + " bytes", e);
        }
    }
}
