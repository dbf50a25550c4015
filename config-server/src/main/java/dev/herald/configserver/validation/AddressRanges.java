package dev.herald.configserver.validation;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks blacklist entries: an IPv4 or IPv6 address, or a CIDR range of either ({@code 10.0.0.0/8},
 * {@code 2001:db8::/32}). Only literals: a host name would need DNS, and its answer can change. The forms are
 * kept strict (no leading zeros, no zone ids, no dotted IPv4 inside IPv6) so that every service parses an
 * accepted entry the same way.
 */
final class AddressRanges {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]{2,39}");
    private static final Pattern PREFIX = Pattern.compile("0|[1-9]\\d{0,2}");

    private AddressRanges() {
    }

    /** What is wrong with an entry, or empty when it is a valid address or range. */
    static Optional<String> problemWith(String entry) {
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        int bits;
        if (isIpv4(address)) {
            bits = 32;
        } else if (isIpv6(address)) {
            bits = 128;
        } else {
            return Optional.of("'" + entry + "' is not an IPv4 or IPv6 address or CIDR range (such as 10.1.2.3, "
                    + "192.168.0.0/16 or 2001:db8::/32)");
        }
        if (slash >= 0) {
            String prefix = entry.substring(slash + 1);
            if (!PREFIX.matcher(prefix).matches() || Integer.parseInt(prefix) > bits) {
                return Optional.of("'" + entry + "' has an invalid prefix length: use /0 to /" + bits);
            }
        }
        return Optional.empty();
    }

    private static boolean isIpv4(String text) {
        Matcher m = IPV4.matcher(text);
        if (!m.matches()) {
            return false;
        }
        for (int group = 1; group <= 4; group++) {
            String octet = m.group(group);
            if ((octet.length() > 1 && octet.charAt(0) == '0') || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String text) {
        if (!text.contains(":") || !IPV6.matcher(text).matches()) {
            return false;
        }
        try {
            // A literal containing ':' is parsed, never looked up in DNS.
            return InetAddress.getByName(text) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
