package dev.herald.config.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict written form the config-server requires of blacklist entries; {@link CidrBlacklistTest} covers matching. */
class CidrBlockTest {

    @ParameterizedTest
    @ValueSource(strings = {"10.1.2.3", "0.0.0.0/0", "192.168.0.0/16", "255.255.255.255/32", "10.1.2.3/8", "::1",
            "2001:db8::/32", "::/0", "fe80::1/128", "2001:0DB8:0000:0000:0000:0000:0000:0001"})
    void addressesAndRangesInTheStrictFormAreAcceptedAndReadAsParseReadsThem(String entry) {
        assertThat(CidrBlock.parseStrict(entry)).isEqualTo(CidrBlock.parse(entry));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "evil.example.com", "256.1.1.1", "010.0.0.1", "1.2.3", "1.2.3.4.5",
            "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/08", "10.0.0.0/-1", "10.0.0.0/+8", "::1/129", "fe80::1%eth0",
            "::ffff:1.2.3.4", "::ffff:102:304", "2001:db8::g", "1:2:3:4:5:6:7:8:9", " 10.1.2.3", "10.1.2.3 ",
            "10.1.2.3/8/8", "00000::1"})
    void anythingElseIsRejectedByTheStrictForm(String entry) {
        assertThatThrownBy(() -> CidrBlock.parseStrict(entry)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + entry + "' ");
    }

    @Test
    void theMessageSaysWhetherTheAddressOrThePrefixIsWrong() {
        assertThatThrownBy(() -> CidrBlock.parseStrict("010.0.0.1"))
                .hasMessage("'010.0.0.1' is not an IPv4 or IPv6 address or CIDR range (such as 10.1.2.3, "
                        + "192.168.0.0/16 or 2001:db8::/32)");
        assertThatThrownBy(() -> CidrBlock.parseStrict("2001:db8::/129"))
                .hasMessage("'2001:db8::/129' has an invalid prefix length: use /0 to /128");
        assertThatThrownBy(() -> CidrBlock.parseStrict("10.0.0.0/08"))
                .hasMessage("'10.0.0.0/08' has an invalid prefix length: use /0 to /32");
    }

    /** What the strict form leaves out, a service still reads from a hand-written znode (its own warnings aside). */
    @Test
    void parseStaysLenientWhereTheStrictFormIsNot() {
        assertThat(CidrBlock.parse(" 10.1.2.3 ")).isEqualTo(CidrBlock.parse("10.1.2.3"));
        assertThat(CidrBlock.parse("::ffff:10.0.0.0/104")).isEqualTo(CidrBlock.parse("10.0.0.0/8"));
        assertThat(CidrBlock.parse("10.0.0.0/08")).isEqualTo(CidrBlock.parse("10.0.0.0/8"));
    }

    /** An IPv6 group of more than four hex digits is no address to any service: the strict form agrees. */
    @Test
    void ipv6GroupsOfMoreThanFourDigitsAreNoAddressEitherWay() {
        assertThatThrownBy(() -> CidrBlock.parse("00000::1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CidrBlock.parseStrict("00000::1")).isInstanceOf(IllegalArgumentException.class);
    }
}
