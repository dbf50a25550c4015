package dev.herald.bench.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SourceAddressesTest {

    @Test
    void expandsAnInclusiveRange() {
        SourceAddresses s = SourceAddresses.parse("127.0.0.2-127.0.0.9");
        assertThat(s.addresses()).extracting(InetAddress::getHostAddress)
                .containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7", "127.0.0.8", "127.0.0.9");
    }

    @Test
    void rangesCrossOctetBoundariesAndMixWithSingleAddresses() {
        SourceAddresses s = SourceAddresses.parse("10.0.0.254-10.0.1.1, 192.168.1.5");
        assertThat(s.addresses()).extracting(InetAddress::getHostAddress)
                .containsExactly("10.0.0.254", "10.0.0.255", "10.0.1.0", "10.0.1.1", "192.168.1.5");
    }

    @Test
    void devicesTakeTheAddressesRoundRobinWithAnyPort() {
        SourceAddresses s = SourceAddresses.parse("127.0.0.2-127.0.0.4");
        assertThat(s.forDevice(0).getAddress().getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(s.forDevice(1).getAddress().getHostAddress()).isEqualTo("127.0.0.3");
        assertThat(s.forDevice(2).getAddress().getHostAddress()).isEqualTo("127.0.0.4");
        assertThat(s.forDevice(3).getAddress().getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(s.forDevice(30_001).getPort()).isZero();
    }

    @Test
    void emptyMeansLetTheSystemChoose() {
        assertThat(SourceAddresses.parse("").isEmpty()).isTrue();
        assertThat(SourceAddresses.parse(null).forDevice(5)).isNull();
        assertThat(SourceAddresses.parse(" , ").isEmpty()).isTrue();
    }

    @Test
    void refusesBackwardsHugeOrMalformedRanges() {
        assertThatThrownBy(() -> SourceAddresses.parse("127.0.0.9-127.0.0.2")).hasMessageContaining("backwards");
        assertThatThrownBy(() -> SourceAddresses.parse("10.0.0.0-10.255.255.255")).hasMessageContaining("too large");
        assertThatThrownBy(() -> SourceAddresses.parse("::1-::5")).hasMessageContaining("IPv4");
        assertThatThrownBy(() -> SourceAddresses.parse("not an address!")).isInstanceOf(IllegalArgumentException.class);
    }
}
