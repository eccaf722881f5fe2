package org.haven.network;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.haven.config.ConfigException;
import org.haven.config.YamlNode;

/**
 * Which NHS board may send over DICOM, and from where: {@code config/boards.yaml}
 * ({@code boards: [{board: NAME, ae-titles: [..], hosts: [..]}]}). A calling AE title names exactly one board; the
 * association must also come from one of that board's hosts (an address, a CIDR range, or a host name resolved when
 * the file is loaded). Anything else is refused.
 */
public final class Boards {
    private static final Pattern BOARD_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    // PS3.5 AE: up to 16 characters of the default repertoire, no backslash or control characters
    private static final Pattern AE_TITLE = Pattern.compile("[\\x20-\\x5B\\x5D-\\x7E]{1,16}");

    public record Board(String name, List<String> aeTitles, List<HostRule> hosts, Path file, int line) {
        public boolean allows(InetAddress address) { return hosts.stream().anyMatch(h -> h.matches(address)); }
    }

    /** An address or CIDR range (host names are resolved to addresses when loaded). */
    public record HostRule(String text, List<byte[]> addresses, int prefixBits) {
        boolean matches(InetAddress candidate) {
            byte[] c = candidate.getAddress();
            for (byte[] a : addresses) {
                if (a.length != c.length) continue;
                int bits = prefixBits < 0 ? a.length * 8 : prefixBits;
                BigInteger mask = BigInteger.ONE.shiftLeft(a.length * 8).subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(a.length * 8 - bits).subtract(BigInteger.ONE));
                if (new BigInteger(1, a).and(mask).equals(new BigInteger(1, c).and(mask))) return true;
            }
            return false;
        }
    }

    private final List<Board> boards;
    private final Map<String, Board> byAeTitle;

    private Boards(List<Board> boards, Map<String, Board> byAeTitle) {
        this.boards = boards;
        this.byAeTitle = byAeTitle;
    }

    public List<Board> boards() { return boards; }

    /** The board a calling AE title belongs to, if any (AE titles compare without surrounding spaces, case-sensitively). */
    public Optional<Board> byAeTitle(String callingAeTitle) {
        return Optional.ofNullable(byAeTitle.get(callingAeTitle == null ? "" : callingAeTitle.trim()));
    }

    public static Boards load(Path file) {
        if (!Files.isRegularFile(file)) throw new ConfigException(file, 0, "boards file not found (needed because haven.dicom.port is set)");
        YamlNode root = YamlNode.load(file);
        root.allowOnly(List.of("boards"));
        List<Board> boards = new ArrayList<>();
        Map<String, Board> byAe = new HashMap<>();
        Map<String, Board> byName = new HashMap<>();
        for (YamlNode entry : root.require("boards").list()) {
            entry.allowOnly(List.of("board", "ae-titles", "hosts"));
            String name = entry.requireString("board").trim();
            if (!BOARD_NAME.matcher(name).matches()) {
                throw entry.require("board").fail("board name '" + name + "' must be letters, digits, '.', '_' or '-' (it becomes a folder and a store value)");
            }
            if (byName.containsKey(name)) throw entry.require("board").fail("board '" + name + "' is listed twice (first at line " + byName.get(name).line() + ")");
            YamlNode aeNode = entry.require("ae-titles");
            List<String> aeTitles = new ArrayList<>();
            for (String ae : aeNode.strings()) {
                String t = ae.trim();
                if (!AE_TITLE.matcher(t).matches()) throw aeNode.fail("'" + ae + "' is not a valid AE title (1 to 16 characters, no backslash)");
                aeTitles.add(t);
            }
            if (aeTitles.isEmpty()) throw aeNode.fail("board '" + name + "' needs at least one AE title");
            YamlNode hostNode = entry.require("hosts");
            List<HostRule> hosts = new ArrayList<>();
            for (String h : hostNode.strings()) hosts.add(hostRule(h.trim(), hostNode));
            if (hosts.isEmpty()) throw hostNode.fail("board '" + name + "' needs at least one host (address, CIDR range or host name)");
            Board board = new Board(name, List.copyOf(aeTitles), List.copyOf(hosts), file, entry.line());
            for (String ae : aeTitles) {
                Board other = byAe.putIfAbsent(ae, board);
                if (other != null) {
                    throw aeNode.fail("AE title '" + ae + "' already belongs to board '" + other.name() + "' (line " + other.line()
                        + "): an AE title must name one board");
                }
            }
            byName.put(name, board);
            boards.add(board);
        }
        return new Boards(List.copyOf(boards), Map.copyOf(byAe));
    }

    static HostRule hostRule(String text, YamlNode where) {
        if (text.isEmpty()) throw where.fail("empty host");
        String host = text;
        int prefix = -1;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            host = text.substring(0, slash);
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw where.fail("'" + text + "': the part after '/' must be a prefix length");
            }
        }
        boolean literal = host.matches("[0-9.]+") || host.contains(":");
        try {
            List<byte[]> addresses = new ArrayList<>();
            if (literal) {
                addresses.add(InetAddress.getByName(host).getAddress()); // a literal: no lookup
            } else {
                if (prefix >= 0) throw where.fail("'" + text + "': a CIDR range needs an address, not a host name");
                for (InetAddress a : InetAddress.getAllByName(host)) addresses.add(a.getAddress());
            }
            int max = addresses.get(0).length * 8;
            if (prefix > max) throw where.fail("'" + text + "': prefix length over " + max);
            return new HostRule(text, List.copyOf(addresses), prefix);
        } catch (UnknownHostException e) {
            throw where.fail("host '" + host + "' cannot be resolved");
        }
    }
}
