package org.openfinq.server.abuse;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.config.OpenfinqProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * The client's address, as every limit, the audit log and the bank ({@code PSU-IP-Address}) see it:
 * the TCP peer, unless that peer is one of {@code openfinq.trusted-proxies}; then the right-most
 * {@code X-Forwarded-For} entry that is not itself a trusted proxy. Requests are wrapped so that
 * {@code getRemoteAddr()} answers that address everywhere after this filter.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class ClientAddress extends OncePerRequestFilter {

    private final List<Cidr> proxies;

    public ClientAddress(OpenfinqProperties props) {
        this.proxies = props.trustedProxies().stream().map(String::strip).filter(s -> !s.isEmpty()).map(Cidr::parse).toList();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String peer = request.getRemoteAddr();
        if (proxies.isEmpty() || !trusted(peer)) {
            chain.doFilter(request, response);
            return;
        }
        String client = fromForwarded(peer, request.getHeaders("X-Forwarded-For"));
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getRemoteAddr() {
                return client;
            }

            @Override
            public String getRemoteHost() {
                return client;
            }
        }, response);
    }

    private String fromForwarded(String peer, java.util.Enumeration<String> headers) {
        List<String> hops = new java.util.ArrayList<>();
        while (headers != null && headers.hasMoreElements()) {
            Arrays.stream(headers.nextElement().split(",")).map(String::strip).forEach(hops::add);
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (literal(hop) == null) {
                return client; // garbage before a trusted hop: the last address we can vouch for
            }
            client = hop;
            if (!trusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    boolean trusted(String address) {
        byte[] bytes = literal(address);
        return bytes != null && proxies.stream().anyMatch(c -> c.contains(bytes));
    }

    /** The bytes of an IP literal, or null for anything else (never a DNS lookup). */
    static byte[] literal(String s) {
        if (s == null || s.isEmpty() || s.length() > 45 || !s.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            return null;
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address or a range such as {@code 10.0.0.0/8}. */
    record Cidr(byte[] network, int bits) {
        static Cidr parse(String s) {
            int slash = s.indexOf('/');
            byte[] address = literal(slash < 0 ? s : s.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("openfinq.trusted-proxies: '" + s + "' is not an IP address or CIDR range");
            }
            int bits = slash < 0 ? address.length * 8 : Integer.parseInt(s.substring(slash + 1));
            if (bits < 0 || bits > address.length * 8) {
                throw new IllegalArgumentException("openfinq.trusted-proxies: bad prefix length in '" + s + "'");
            }
            return new Cidr(address, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
