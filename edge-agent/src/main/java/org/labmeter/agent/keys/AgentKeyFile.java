package org.labmeter.agent.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import org.labmeter.agent.datadir.DataDir;
import org.labmeter.agent.datadir.DurableFile;
import org.labmeter.agent.datadir.EpochCounter;
import org.labmeter.wire.Ed25519Signer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's private key on disk: base64 of the 32-byte RFC 8032 seed in {@code agent.key},
 * readable by the owner only. The key is made on the agent and never leaves it; the registry only
 * ever sees its public key and fingerprint.
 */
public final class AgentKeyFile {
  private static final Logger log = LoggerFactory.getLogger(AgentKeyFile.class);

  private AgentKeyFile() {}

  /**
   * The key of an agent about to run. On a fresh directory a key is made; on a directory that an
   * agent has booted on before, a missing key is an error rather than a silent new identity,
   * because batches signed by a new key would no longer verify against the enrolled one.
   */
  public static Ed25519Signer forAgent(DataDir dataDir) {
    if (Files.exists(dataDir.keyFile())) {
      return load(dataDir);
    }
    if (EpochCounter.exists(dataDir)) {
      throw new AgentKeyException(
          dataDir.keyFile()
              + " is missing, but an agent has run on "
              + dataDir.root()
              + " before (its epoch file exists). Restore the key from a backup, or run keygen"
              + " and enrol the new public key.");
    }
    return create(dataDir, new SecureRandom());
  }

  /** Loads the key, or makes one when there is none (the {@code keygen} command). */
  public static Ed25519Signer loadOrCreate(DataDir dataDir) {
    if (Files.exists(dataDir.keyFile())) {
      return load(dataDir);
    }
    return create(dataDir, new SecureRandom());
  }

  /**
   * @throws AgentKeyException when the file is missing or does not hold a 32-byte base64 key
   */
  public static Ed25519Signer load(DataDir dataDir) {
    Path file = dataDir.keyFile();
    if (!Files.exists(file)) {
      throw new AgentKeyException(file + " does not exist; run keygen first");
    }
    byte[] seed;
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
      seed = Base64.getDecoder().decode(text);
    } catch (IOException e) {
      throw new AgentKeyException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new AgentKeyException(file + " is not base64 of an Ed25519 key: " + e.getMessage(), e);
    }
    try {
      if (seed.length != Ed25519Signer.SEED_SIZE) {
        throw new AgentKeyException(
            file
                + " holds "
                + seed.length
                + " bytes; an Ed25519 private key has "
                + Ed25519Signer.SEED_SIZE);
      }
      warnIfReadableByOthers(file);
      return Ed25519Signer.fromSeed(seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /**
   * Makes a new key and writes it, owner-only from the moment the file exists.
   *
   * @throws AgentKeyException when a key file exists already or cannot be written
   */
  public static Ed25519Signer create(DataDir dataDir, SecureRandom random) {
    Path file = dataDir.keyFile();
    Ed25519Signer signer = Ed25519Signer.generate(random);
    byte[] seed = signer.seed();
    byte[] text =
        (Base64.getEncoder().encodeToString(seed) + "\n").getBytes(StandardCharsets.US_ASCII);
    try {
      DurableFile.createDirectories(dataDir.root());
      DurableFile.createOwnerOnly(file, text);
    } catch (FileAlreadyExistsException e) {
      throw new AgentKeyException(file + " exists already; refusing to overwrite a key", e);
    } catch (IOException e) {
      throw new AgentKeyException("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(seed, (byte) 0);
      Arrays.fill(text, (byte) 0);
    }
    log.info("created agent key {} with fingerprint {}", file, signer.publicKey().fingerprint());
    return signer;
  }

  private static void warnIfReadableByOthers(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.stream()
          .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
        log.warn("{} is accessible to other users; it should be rw------- (chmod 600)", file);
      }
    } catch (UnsupportedOperationException | IOException e) {
      // No POSIX permissions here; nothing to check.
    }
  }
}
