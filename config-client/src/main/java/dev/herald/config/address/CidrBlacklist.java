package dev.herald.config.address;

import dev.herald.core.app.IpBlacklist;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A set of {@link CidrBlock}s answering {@link #blocks} in one hash look-up per distinct prefix length,
 * whatever the number of entries: an access node asks it for every accepted connection. Immutable.
 */
public final class CidrBlacklist implements IpBlacklist {

    public static final CidrBlacklist EMPTY = new CidrBlacklist(List.of());

    private final List<CidrBlock> blocks;
    /** Address length (4 or 16) → prefix length → masked networks. */
    private final Map<Integer, Map<Integer, Set<ByteBuffer>>> networks;

    public CidrBlacklist(Collection<CidrBlock> blocks) {
        this.blocks = List.copyOf(new HashSet<>(blocks));
        Map<Integer, Map<Integer, Set<ByteBuffer>>> byFamily = new HashMap<>();
        for (CidrBlock block : this.blocks) {
            byFamily.computeIfAbsent(block.addressLength(), length -> new HashMap<>())
                    .computeIfAbsent(block.prefixLength(), prefix -> new HashSet<>())
                    .add(ByteBuffer.wrap(block.network()));
        }
        this.networks = byFamily;
    }

    public List<CidrBlock> blocks() {
        return blocks;
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    @Override
    public boolean blocks(InetAddress address) {
        if (address == null || blocks.isEmpty()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (CidrBlock.isIpv4Mapped(bytes)) {
            bytes = Arrays.copyOfRange(bytes, 12, 16);
        }
        Map<Integer, Set<ByteBuffer>> byPrefix = networks.get(bytes.length);
        if (byPrefix == null) {
            return false;
        }
        for (Map.Entry<Integer, Set<ByteBuffer>> prefix : byPrefix.entrySet()) {
            if (prefix.getValue().contains(ByteBuffer.wrap(CidrBlock.mask(bytes, prefix.getKey())))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrBlacklist other && new HashSet<>(blocks).equals(new HashSet<>(other.blocks));
    }

    @Override
    public int hashCode() {
        return new HashSet<>(blocks).hashCode();
    }

    @Override
    public String toString() {
        return blocks.toString();
    }
}
