package org.openfinq.server.webhook;

import org.openfinq.server.config.OpenfinqProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Guards webhook URLs against server-side request forgery: https only, and the host must resolve only to public
 * addresses (no loopback, private, link-local, unique-local, multicast, unspecified, shared or documentation
 * address, v4 or v6, IPv4-mapped v6 included). Hosts the operator lists in {@code OPENFINQ_WEBHOOKS_ALLOWED_HOSTS}
 * skip the address check (and may use http); on the embedded default {@code http://127.0.0.1} is allowed for
 * development. Checked at registration and again at every delivery, whose connection goes to the checked address.
 */
@Component
public class UrlGuard {

    /** Resolves a host name; tests inject one. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A refused URL, with the reason shown to the operator. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /** A URL that passed, with the address to connect to. */
    public record Target(URI uri, InetAddress address) {
    }

    private final Set<String> allowedHosts;
    private final boolean embeddedDevelopment;
    private volatile Resolver resolver = InetAddress::getAllByName;

    @Autowired
    public UrlGuard(@Value("${openfinq.webhooks.allowed-hosts:}") String allowedHosts, OpenfinqProperties props) {
        this(allowedHosts, !props.db().external());
    }

    public UrlGuard(String allowedHosts, boolean embeddedDevelopment) {
        this.allowedHosts = Arrays.stream(allowedHosts.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.embeddedDevelopment = embeddedDevelopment;
    }

    /** Replaces the resolver (tests: a name that resolves to a private address). */
    public void resolver(Resolver resolver) {
        this.resolver = resolver;
    }

    /** Syntax only: an absolute http(s) URL with a host, no user info, no fragment. */
    public static URI parse(String url) throws Refused {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            throw new Refused("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new Refused("must be an https URL");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new Refused("must be an https URL with a host, without user info or fragment");
        }
        return uri;
    }

    /** Checks {@code url} now (resolving its host) and answers the address to connect to. */
    public Target check(String url) throws Refused {
        URI uri = parse(url);
        String host = bare(uri.getHost()).toLowerCase(Locale.ROOT);
        boolean https = uri.getScheme().equalsIgnoreCase("https");
        if (allowedHosts.contains(host)) {
            return new Target(uri, resolveFirst(host));
        }
        if (embeddedDevelopment && !https && host.equals("127.0.0.1")) {
            return new Target(uri, resolveFirst(host));
        }
        if (!https) {
            throw new Refused("must be an https URL (http only for hosts the operator allows)");
        }
        InetAddress[] all;
        try {
            all = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new Refused("host " + host + " does not resolve");
        }
        if (all.length == 0) {
            throw new Refused("host " + host + " does not resolve");
        }
        for (InetAddress a : all) {
            String why = forbidden(a);
            if (why != null) {
                throw new Refused("host " + host + " resolves to a " + why + " address (" + a.getHostAddress() + ")");
            }
        }
        return new Target(uri, all[0]);
    }

    private InetAddress resolveFirst(String host) throws Refused {
        try {
            return resolver.resolve(host)[0];
        } catch (UnknownHostException | ArrayIndexOutOfBoundsException e) {
            throw new Refused("host " + host + " does not resolve");
        }
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Why an address may not be called, or null for a public one. */
    public static String forbidden(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            boolean compatible = true;
            for (int i = 0; i < 12; i++) {
                compatible &= b[i] == 0;
            }
            if (mapped || compatible && !(a.isAnyLocalAddress() || a.isLoopbackAddress())) {
                return forbidden4(Arrays.copyOfRange(b, 12, 16));
            }
            if (a.isAnyLocalAddress()) {
                return "unspecified";
            }
            if (a.isLoopbackAddress()) {
                return "loopback";
            }
            if (a.isLinkLocalAddress() || (b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
                return "link-local";
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return "private (unique local)";
            }
            if (a.isMulticastAddress()) {
                return "multicast";
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return "documentation";
            }
            if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
                return forbidden4(Arrays.copyOfRange(b, 12, 16)); // NAT64 well-known prefix
            }
            return null;
        }
        return forbidden4(b);
    }

    private static String forbidden4(byte[] b) {
        int o0 = b[0] & 0xff, o1 = b[1] & 0xff;
        if (o0 == 0) {
            return "unspecified";
        }
        if (o0 == 127) {
            return "loopback";
        }
        if (o0 == 10 || o0 == 172 && (o1 & 0xf0) == 16 || o0 == 192 && o1 == 168) {
            return "private";
        }
        if (o0 == 100 && (o1 & 0xc0) == 64) {
            return "private (shared)";
        }
        if (o0 == 169 && o1 == 254) {
            return "link-local";
        }
        if (o0 >= 224 && o0 <= 239) {
            return "multicast";
        }
        if (o0 >= 240) {
            return "reserved";
        }
        if (o0 == 192 && o1 == 0 && (b[2] & 0xff) == 0 || o0 == 198 && (o1 & 0xfe) == 18) {
            return "reserved";
        }
        return null;
    }

}
