package org.labmeter.agent.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.agent.AgentMain;
import org.labmeter.agent.datadir.DataDir;
import org.labmeter.agent.datadir.EpochCounter;
import org.labmeter.wire.AgentPublicKey;
import org.labmeter.wire.Ed25519Signer;

class AgentKeyFileTest {
  @TempDir Path dir;

  @Test
  void createdOwnerOnlyAndReloadedIdentically() throws IOException {
    DataDir dataDir = new DataDir(dir.resolve("agent-1"));

    Ed25519Signer created = AgentKeyFile.forAgent(dataDir);
    Ed25519Signer reloaded = AgentKeyFile.forAgent(dataDir);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.keyFile())))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.root())))
        .isEqualTo("rwx------");
    assertThat(reloaded).isEqualTo(created);
    assertThat(reloaded.publicKey().fingerprint()).isEqualTo(created.publicKey().fingerprint());
    // base64 of the 32-byte seed, one line
    String text = Files.readString(dataDir.keyFile(), StandardCharsets.US_ASCII);
    assertThat(text).endsWith("\n");
    assertThat(Base64.getDecoder().decode(text.trim())).isEqualTo(created.seed());
    assertThat(dataDir.root().resolve("agent.key.tmp")).doesNotExist();
  }

  @Test
  void fingerprintIsStableAcrossCommands() {
    Path dataDir = dir.resolve("agent-2");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    AgentPublicKey made = AgentMain.keygen(dataDir, new PrintStream(out, true));
    AgentPublicKey again = AgentMain.keygen(dataDir, new PrintStream(out, true));
    AgentPublicKey shown = AgentMain.fingerprint(dataDir, new PrintStream(out, true));

    assertThat(again).isEqualTo(made);
    assertThat(shown).isEqualTo(made);
    assertThat(made.fingerprint()).matches("SHA256:[0-9a-f]{4}(:[0-9a-f]{4}){7}");
    assertThat(out.toString(StandardCharsets.US_ASCII))
        .contains("fingerprint: " + made.fingerprint())
        .contains("public key:  " + made.toBase64());
  }

  @Test
  void aKnownSeedGivesItsKnownPublicKey() throws IOException {
    // RFC 8032 section 7.1, test 1
    byte[] seed =
        java.util.HexFormat.of()
            .parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    DataDir dataDir = new DataDir(dir);
    Files.writeString(dataDir.keyFile(), Base64.getEncoder().encodeToString(seed) + "\n");

    assertThat(AgentKeyFile.load(dataDir).publicKey().toBytes())
        .isEqualTo(
            java.util.HexFormat.of()
                .parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
  }

  @Test
  void garbledKeyIsAClearError() throws IOException {
    DataDir dataDir = new DataDir(dir);
    Files.writeString(dataDir.keyFile(), "not*base64\n");

    assertThatThrownBy(() -> AgentKeyFile.forAgent(dataDir))
        .isInstanceOf(AgentKeyException.class)
        .hasMessageContaining(dataDir.keyFile().toString())
        .hasMessageContaining("not base64");

    Files.writeString(dataDir.keyFile(), Base64.getEncoder().encodeToString(new byte[16]));
    assertThatThrownBy(() -> AgentKeyFile.forAgent(dataDir))
        .hasMessage(dataDir.keyFile() + " holds 16 bytes; an Ed25519 private key has 32");
  }

  @Test
  void missingKeyAfterEarlierRunsIsAnErrorNotANewIdentity() throws IOException {
    DataDir dataDir = new DataDir(dir);
    AgentKeyFile.forAgent(dataDir);
    EpochCounter.increment(dataDir);
    Files.delete(dataDir.keyFile());

    assertThatThrownBy(() -> AgentKeyFile.forAgent(dataDir))
        .isInstanceOf(AgentKeyException.class)
        .hasMessageContaining(dataDir.keyFile() + " is missing")
        .hasMessageContaining("Restore the key");
    assertThat(dataDir.keyFile()).doesNotExist();
  }

  @Test
  void neverOverwritesAKey() {
    DataDir dataDir = new DataDir(dir);
    AgentKeyFile.create(dataDir, new SecureRandom());

    assertThatThrownBy(() -> AgentKeyFile.create(dataDir, new SecureRandom()))
        .hasMessageContaining("refusing to overwrite");
  }

  @Test
  void fingerprintOfAnEmptyDirectoryIsAnError() {
    assertThatThrownBy(() -> AgentMain.fingerprint(dir.resolve("nothing"), System.out))
        .isInstanceOf(AgentKeyException.class)
        .hasMessageContaining("does not exist; run keygen first");
  }

  @Test
  void epochCountsBoots() throws IOException {
    DataDir dataDir = new DataDir(dir);

    assertThat(EpochCounter.current(dataDir)).isZero();
    assertThat(EpochCounter.increment(dataDir)).isEqualTo(1);
    assertThat(EpochCounter.increment(dataDir)).isEqualTo(2);
    assertThat(Files.readString(dataDir.epochFile())).isEqualTo("2\n");

    Files.writeString(dataDir.epochFile(), "two");
    assertThatThrownBy(() -> EpochCounter.increment(dataDir))
        .hasMessageContaining("holds 'two', not an epoch number");
  }
}
