package dev.herald.configserver.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressRangesTest {

    @ParameterizedTest
    @ValueSource(strings = {"10.1.2.3", "0.0.0.0/0", "192.168.0.0/16", "255.255.255.255/32", "10.1.2.3/8", "::1",
            "2001:db8::/32", "::/0", "fe80::1/128", "2001:0DB8:0000:0000:0000:0000:0000:0001"})
    void addressesAndRangesAreAccepted(String entry) {
        assertThat(AddressRanges.problemWith(entry)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "evil.example.com", "256.1.1.1", "010.0.0.1", "1.2.3", "1.2.3.4.5",
            "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/08", "10.0.0.0/-1", "::1/129", "fe80::1%eth0", "::ffff:1.2.3.4",
            "2001:db8::g", "1:2:3:4:5:6:7:8:9", " 10.1.2.3", "10.1.2.3/8/8"})
    void anythingElseIsRejected(String entry) {
        assertThat(AddressRanges.problemWith(entry)).isPresent();
    }
}
