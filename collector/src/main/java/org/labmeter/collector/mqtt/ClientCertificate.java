package org.labmeter.collector.mqtt;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The names a verified TLS client certificate gives its holder: the subject's CN and the DNS names
 * among its subject alternative names. The TLS handshake has already checked the chain against the
 * trusted authorities; here only the names are read.
 */
record ClientCertificate(String subject, List<String> names) {
  ClientCertificate {
    names = List.copyOf(names);
  }

  /** The peer's certificate, if the connection is TLS and the client presented one. */
  static Optional<ClientCertificate> of(Channel channel) {
    SslHandler tls = channel.pipeline().get(SslHandler.class);
    if (tls == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = tls.engine().getSession().getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
        return Optional.empty();
      }
      return Optional.of(of(leaf));
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  static ClientCertificate of(X509Certificate leaf) {
    List<String> names = new ArrayList<>();
    String subject = leaf.getSubjectX500Principal().getName();
    try {
      for (Rdn rdn : new LdapName(subject).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          names.add(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException e) {
      // no CN to read; the alternative names may still name the agent
    }
    try {
      Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> alternative : alternatives) {
          if (Integer.valueOf(2).equals(alternative.get(0))) { // dNSName
            names.add(String.valueOf(alternative.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // an unreadable extension names nobody
    }
    return new ClientCertificate(subject, names);
  }

  boolean names(String agentId) {
    return agentId != null && names.contains(agentId);
  }
}
