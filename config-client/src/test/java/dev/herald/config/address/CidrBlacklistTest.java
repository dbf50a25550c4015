package dev.herald.config.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrBlacklistTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static CidrBlacklist of(String... entries) {
        return new CidrBlacklist(List.of(entries).stream().map(CidrBlock::parse).toList());
    }

    @Test
    void blocksSingleAddressesAndRangesOfBothFamilies() throws Exception {
        CidrBlacklist list = of("10.1.2.3", "192.168.0.0/16", "2001:db8::/32");

        assertThat(list.blocks(ip("10.1.2.3"))).isTrue();
        assertThat(list.blocks(ip("10.1.2.4"))).isFalse();
        assertThat(list.blocks(ip("192.168.255.1"))).isTrue();
        assertThat(list.blocks(ip("192.169.0.1"))).isFalse();
        assertThat(list.blocks(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(list.blocks(ip("2001:db9::1"))).isFalse();
        assertThat(list.blocks(null)).isFalse();
    }

    @Test
    void hostBitsBeyondThePrefixAreIgnoredAndZeroPrefixBlocksTheFamily() throws Exception {
        assertThat(CidrBlock.parse("10.1.2.3/8")).isEqualTo(CidrBlock.parse("10.0.0.0/8"));
        assertThat(CidrBlock.parse("10.1.2.3/8").toString()).isEqualTo("10.0.0.0/8");
        CidrBlacklist everyIpv4 = of("0.0.0.0/0");
        assertThat(everyIpv4.blocks(ip("203.0.113.9"))).isTrue();
        assertThat(everyIpv4.blocks(ip("::1"))).isFalse();
    }

    @Test
    void ipv4MappedEntriesAndAddressesMatchTheirIpv4Form() throws Exception {
        assertThat(of("::ffff:127.0.0.1").blocks(ip("127.0.0.1"))).isTrue();
        assertThat(of("::ffff:10.0.0.0/104").blocks(ip("10.20.30.40"))).isTrue();
        assertThat(of("127.0.0.0/8").blocks(InetAddress.getByAddress(
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1}))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "localhost", "example.com", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/x",
            "2001:db8::/129", "1.2.3", "300.1.1.1", "10.0.0.0/"})
    void rejectsWhatIsNotAnAddressLiteralWithoutResolvingIt(String text) {
        assertThatThrownBy(() -> CidrBlock.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The hashed look-up must agree with a plain scan of the ranges, whatever they are. */
    @Test
    void hashedLookupAgreesWithAScanOfEveryRange() throws Exception {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        List<CidrBlock> blocks = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] address = new byte[4];
            random.nextBytes(address);
            blocks.add(CidrBlock.parse(InetAddress.getByAddress(address).getHostAddress() + "/" + random.nextInt(8, 33)));
        }
        CidrBlacklist list = new CidrBlacklist(blocks);
        for (int i = 0; i < 20_000; i++) {
            byte[] address = new byte[4];
            random.nextBytes(address);
            if (i % 2 == 0) {
                // Half of the probes start inside a listed range, so both answers are exercised.
                byte[] network = blocks.get(random.nextInt(blocks.size())).network();
                address[0] = network[0];
            }
            InetAddress probe = InetAddress.getByAddress(address);
            boolean scanned = blocks.stream().anyMatch(b -> b.contains(probe));
            assertThat(list.blocks(probe)).as("seed %d, probe %s", seed, probe).isEqualTo(scanned);
        }
    }
}
