package dev.herald.config.address;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address range in CIDR notation ({@code 192.168.0.0/16}, {@code 2001:db8::/32}); a
 * plain address is a range of one. Parsed from literals only: a host name is rejected, never resolved.
 * Host bits beyond the prefix are ignored ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}).
 *
 * <p>Two ways in: {@link #parse} reads whatever literal a service finds in the config tree, and
 * {@link #parseStrict} accepts only the plain written form, which the config-server requires of every entry it
 * stores, so that any ZooKeeper client reads an accepted entry the same way.
 */
public final class CidrBlock {

    /** Four decimal octets, 0 to 255, without leading zeros. */
    private static final String STRICT_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern STRICT_IPV4 = Pattern.compile(STRICT_OCTET + "(?:\\." + STRICT_OCTET + "){3}");
    /** Hex groups and colons only: no zone id, no dotted IPv4 tail. Whether the groups add up is Netty's call. */
    private static final Pattern STRICT_IPV6 = Pattern.compile("(?=.*:)[0-9A-Fa-f:]{2,39}");
    /** Plain decimal digits without a sign or leading zeros. */
    private static final Pattern STRICT_PREFIX = Pattern.compile("0|[1-9][0-9]{0,2}");

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

    /**
     * Parses an entry in the strict written form: an IPv4 address of four decimal octets without leading zeros,
     * or an IPv6 address of groups of one to four hex digits and colons (no zone id, no dotted IPv4 tail, not an
     * IPv4-mapped address: that is written as its IPv4 address), optionally followed by {@code /} and a prefix
     * length in plain digits; nothing around it. Whatever this accepts, {@link #parse} reads the same way.
     *
     * @throws IllegalArgumentException with a message that an API client can act on, when {@code entry} is not
     *                                  in that form
     */
    public static CidrBlock parseStrict(String entry) {
        int slash = entry.indexOf('/');
        String literal = slash < 0 ? entry : entry.substring(0, slash);
        int bits;
        if (STRICT_IPV4.matcher(literal).matches()) {
            bits = 32;
        } else if (STRICT_IPV6.matcher(literal).matches() && NetUtil.isValidIpV6Address(literal)
                && !isIpv4Mapped(NetUtil.createByteArrayFromIpAddressString(literal))) {
            // An IPv4-mapped address is written as the IPv4 address it stands for.
            bits = 128;
        } else {
            throw new IllegalArgumentException("'" + entry + "' is not an IPv4 or IPv6 address or CIDR range (such as "
                    + "10.1.2.3, 192.168.0.0/16 or 2001:db8::/32)");
        }
        if (slash >= 0) {
            String prefix = entry.substring(slash + 1);
            if (!STRICT_PREFIX.matcher(prefix).matches() || Integer.parseInt(prefix) > bits) {
                throw new IllegalArgumentException("'" + entry + "' has an invalid prefix length: use /0 to /" + bits);
            }
        }
        return parse(entry);
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
