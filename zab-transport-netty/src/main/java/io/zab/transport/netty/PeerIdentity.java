package io.zab.transport.netty;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Which server ids a certificate names. The identity rule: a server's certificate names it as
 * {@code zab-server-<sid>} in a DNS Subject Alternative Name or in the subject CN, and names no other
 * server id. A peer is accepted only if the id it claims in the handshake is the one its certificate names
 * (the check ZooKeeper lacked in CVE-2023-44981).
 */
final class PeerIdentity {
  static final String PREFIX = "zab-server-";
  private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "([1-9][0-9]{0,18})");
  private static final int SAN_DNS = 2;

  private PeerIdentity() {}

  /** The identity name of server {@code sid}, to put in its certificate. */
  static String nameOf(long sid) {
    return PREFIX + sid;
  }

  /** Every server id named by {@code cert} (SAN DNS names and subject CNs), in ascending order. */
  static Set<Long> serverIds(X509Certificate cert) {
    Set<Long> ids = new TreeSet<>();
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() == 2 && Integer.valueOf(SAN_DNS).equals(san.get(0)) && san.get(1) instanceof String dns) {
            addIfServerName(dns, ids);
          }
        }
      }
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if ("CN".equalsIgnoreCase(rdn.getType()) && rdn.getValue() instanceof String cn) {
          addIfServerName(cn, ids);
        }
      }
    } catch (CertificateParsingException | InvalidNameException e) {
      throw new PeerProtocolException("TLS: cannot read the peer certificate's names: " + e.getMessage());
    }
    return ids;
  }

  /** Throws unless {@code cert} names exactly server {@code claimed}. */
  static void requireNames(X509Certificate cert, long claimed) {
    Set<Long> named = serverIds(cert);
    if (!named.equals(Set.of(claimed))) {
      throw new PeerProtocolException("TLS identity: peer claims server id " + claimed
          + " but its certificate (subject " + cert.getSubjectX500Principal().getName() + ") names "
          + (named.isEmpty() ? "no zab-server-<sid>" : "server ids " + named));
    }
  }

  private static void addIfServerName(String name, Set<Long> ids) {
    Matcher m = NAME.matcher(name);
    if (m.matches()) {
      try {
        ids.add(Long.parseLong(m.group(1)));
      } catch (NumberFormatException tooLarge) {
        // not a valid server id: ignored, so such a certificate names nobody
      }
    }
  }
}
