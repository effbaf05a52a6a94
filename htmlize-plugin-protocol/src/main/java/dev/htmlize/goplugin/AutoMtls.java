package dev.htmlize.goplugin;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * go-plugin's AutoMTLS: each side makes a fresh self-signed certificate per start and trusts exactly the other's.
 * The host passes its certificate to the plugin as PEM in {@link GoPluginEnv#CLIENT_CERT}; the plugin answers with
 * its own as unpadded base64 DER in the handshake line.
 *
 * <p>The certificates have go-plugin's shape (SAN {@code localhost}, which Go checks instead of the CN; both
 * extended key usages, since the same certificate serves and dials broker connections; CA, about 30 years) but an
 * ECDSA P-256 key, which Go accepts and which is much quicker to make than go-plugin's P-521. TLS runs on the JDK's
 * provider, which verifies the P-521 certificates that Go peers send, negotiates ALPN {@code h2} (grpc-go 1.67 and
 * later refuse connections without it) and requires TLS 1.2 or newer.
 */
public final class AutoMtls {
  private static final String AUTHORITY = "localhost";
  private static final Duration VALIDITY = Duration.ofHours(262_980);
  private static final Duration BACKDATE = Duration.ofSeconds(30);

  private final KeyPair keyPair;
  private final X509Certificate certificate;

  private AutoMtls(KeyPair keyPair, X509Certificate certificate) {
    this.keyPair = keyPair;
    this.certificate = certificate;
  }

  /** Makes a new key pair and self-signed certificate. */
  public static AutoMtls generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keyPair = generator.generateKeyPair();
      X500Name name = new X500Name("O=go-plugin,CN=" + AUTHORITY);
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          name, new BigInteger(127, new SecureRandom()), Date.from(now.minus(BACKDATE)),
          Date.from(now.plus(VALIDITY)), name, keyPair.getPublic());
      builder.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, AUTHORITY)));
      builder.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
          | KeyUsage.keyEncipherment | KeyUsage.keyAgreement | KeyUsage.keyCertSign));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      X509Certificate certificate = new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
      return new AutoMtls(keyPair, certificate);
    } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make an AutoMTLS certificate: " + e.getMessage(), e);
    }
  }

  /** The certificate as PEM, the form the host passes in {@link GoPluginEnv#CLIENT_CERT}. */
  public String certificatePem() {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The certificate as DER, which the plugin sends base64-encoded in the handshake line. */
  public byte[] certificateDer() {
    try {
      return certificate.getEncoded();
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  /** TLS for the host's gRPC client: presents this certificate, trusts only the plugin's. */
  public SslContext clientContext(X509Certificate peer) throws SSLException {
    return GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
        .keyManager(keyPair.getPrivate(), certificate)
        .trustManager(peer)
        .protocols("TLSv1.3", "TLSv1.2")
        .build();
  }

  /** TLS for the plugin's gRPC server: presents this certificate, requires the host's. */
  public SslContext serverContext(X509Certificate peer) throws SSLException {
    return GrpcSslContexts.configure(SslContextBuilder.forServer(keyPair.getPrivate(), certificate), SslProvider.JDK)
        .trustManager(peer)
        .clientAuth(ClientAuth.REQUIRE)
        .protocols("TLSv1.3", "TLSv1.2")
        .build();
  }

  /** The authority both sides check the peer's certificate against. */
  public static String authority() {
    return AUTHORITY;
  }

  /** Reads a certificate from PEM or DER. */
  public static X509Certificate parseCertificate(byte[] pemOrDer) throws CertificateException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pemOrDer));
  }
}
