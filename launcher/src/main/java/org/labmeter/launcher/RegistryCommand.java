package org.labmeter.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.labmeter.collector.auth.CredentialHash;
import org.labmeter.launcher.server.CredentialFile;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.registry.AgentApproval;
import org.labmeter.metering.registry.AgentEnrollment;
import org.labmeter.metering.registry.AgentRegistry;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RegistryRejection;
import org.labmeter.metering.registry.RelationalStore;
import org.labmeter.wire.AgentPublicKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    description = {
      "Administers the registry in the relational store: managing units, instruments with their",
      "derivation profiles, and agents (enrolment with the agent's public key)."
    },
    subcommands = {
      RegistryCommand.AddFacility.class,
      RegistryCommand.AddInstrument.class,
      RegistryCommand.EnrollAgent.class,
      RegistryCommand.ApproveAgent.class,
      RegistryCommand.ListAll.class
    })
final class RegistryCommand implements Runnable {
  @Mixin DbOptions db;

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(
      name = "add-facility",
      mixinStandardHelpOptions = true,
      description = "Adds or renames a managing unit.")
  static final class AddFacility implements Callable<Integer> {
    @ParentCommand RegistryCommand parent;

    @Option(names = "--id", required = true)
    String id;

    @Option(names = "--name", required = true)
    String name;

    @Option(names = "--name-zh")
    String nameZh;

    @Override
    public Integer call() {
      try (RelationalStore store = parent.db.open()) {
        new Registry(store.dataSource()).saveFacility(new Facility(id, name, nameZh));
        AdminCommand.audit(store, "facility.create", "/api/v1/facilities/" + id);
      }
      System.out.printf("facility %s saved%n", id);
      return 0;
    }
  }

  @Command(
      name = "add-instrument",
      mixinStandardHelpOptions = true,
      description = "Adds an instrument with version 1 of its derivation profile.")
  static final class AddInstrument implements Callable<Integer> {
    @ParentCommand RegistryCommand parent;

    @Option(names = "--id", required = true)
    String id;

    @Option(names = "--facility", required = true)
    String facility;

    @Option(names = "--name", required = true)
    String name;

    @Option(names = "--name-zh")
    String nameZh;

    @Option(names = "--model")
    String model;

    @Option(names = "--asset-no")
    String assetNo;

    @Option(names = "--on-w", required = true, description = "T_on: ACTIVE is entered at P >= this")
    double onW;

    @Option(names = "--off-w", required = true, description = "T_off: ACTIVE is left at P <= this")
    double offW;

    @Option(
        names = "--off-below-w",
        required = true,
        description = "P below this is OFF, not STANDBY")
    double offBelowW;

    @Option(
        names = "--min-on-s",
        defaultValue = "60",
        description = "t_on in seconds (default: ${DEFAULT-VALUE})")
    long minOnS;

    @Option(
        names = "--min-off-s",
        defaultValue = "60",
        description = "t_off in seconds (default: ${DEFAULT-VALUE})")
    long minOffS;

    @Option(
        names = "--max-gap-s",
        required = true,
        description = "maximum sample gap in seconds; longer gaps are UNKNOWN")
    long maxGapS;

    @Option(
        names = "--valid-from",
        defaultValue = "2000-01-01T00:00:00Z",
        description = "profile in force from (default: ${DEFAULT-VALUE})")
    Instant validFrom;

    @Override
    public Integer call() {
      DerivationProfile profile =
          DerivationProfile.create(
              b ->
                  b.onThresholdW(onW)
                      .offThresholdW(offW)
                      .offBelowW(offBelowW)
                      .minOn(Duration.ofSeconds(minOnS))
                      .minOff(Duration.ofSeconds(minOffS))
                      .maxSampleGap(Duration.ofSeconds(maxGapS)));
      try (RelationalStore store = parent.db.open()) {
        new Registry(store.dataSource())
            .addInstrument(
                new Instrument(id, facility, name, nameZh, model, assetNo), profile, validFrom);
        AdminCommand.audit(store, "instrument.create", "/api/v1/instruments/" + id);
      }
      System.out.printf("instrument %s added, profile %s%n", id, profile.parameterHash());
      return 0;
    }
  }

  @Command(
      name = "enroll-agent",
      mixinStandardHelpOptions = true,
      description = {
        "Enrols an agent by its public key (from 'labmeter agent keygen' on the agent's box) for the",
        "given instruments, and writes its MQTT credential to a file for the agent's mqtt.passwordFile.",
        "Compare the printed fingerprint with the one the agent printed before approving it."
      })
  static final class EnrollAgent implements Callable<Integer> {
    @ParentCommand RegistryCommand parent;

    @Option(names = "--id", required = true)
    String id;

    @Option(names = "--facility", required = true)
    String facility;

    @Option(
        names = "--public-key",
        required = true,
        description = "base64 of the 32-byte Ed25519 key")
    String publicKey;

    @Option(names = "--instrument", required = true, description = "may be repeated")
    List<String> instruments;

    @Option(
        names = "--credential-file",
        required = true,
        description = "created (mode 0600) if missing")
    Path credentialFile;

    @Option(
        names = "--pending",
        description = "enrol without approving (the agent cannot publish yet)")
    boolean pending;

    @Override
    public Integer call() {
      AgentPublicKey key;
      try {
        key = AgentPublicKey.ofBase64(publicKey);
      } catch (IllegalArgumentException e) {
        System.err.println("--public-key: " + e.getMessage());
        return 2;
      }
      String secret = CredentialFile.readOrCreate(credentialFile);
      try (RelationalStore store = parent.db.open()) {
        new Registry(store.dataSource())
            .enrollAgent(
                new AgentEnrollment(
                    id,
                    facility,
                    key,
                    CredentialHash.create(secret.toCharArray()).encoded(),
                    pending ? AgentEnrollment.Status.PENDING : AgentEnrollment.Status.APPROVED,
                    new LinkedHashSet<>(instruments)));
        AdminCommand.audit(store, "agent.enroll", "/api/v1/agents/" + id);
      }
      System.out.printf(
          "agent %s enrolled (%s) with key %s%ncredential written to %s%n",
          id, pending ? "PENDING" : "APPROVED", key.fingerprint(), credentialFile);
      return 0;
    }
  }

  @Command(
      name = "approve-agent",
      mixinStandardHelpOptions = true,
      description = {
        "Approves a PENDING agent (enrolled with --pending or through POST /api/v1/agents) for",
        "instruments of its unit, after you compared its fingerprint with the one the agent printed.",
        "Writes its new MQTT credential to a new file (mode 0600) for the agent's mqtt.passwordFile."
      })
  static final class ApproveAgent implements Callable<Integer> {
    @ParentCommand RegistryCommand parent;

    @Option(names = "--id", required = true)
    String id;

    @Option(names = "--fingerprint", required = true, description = "as the agent printed it")
    String fingerprint;

    @Option(names = "--instrument", required = true, description = "may be repeated")
    List<String> instruments;

    @Option(names = "--credential-file", required = true, description = "must not exist yet")
    Path credentialFile;

    @Override
    public Integer call() throws IOException {
      if (Files.exists(credentialFile)) {
        System.err.println("--credential-file: " + credentialFile + " exists; name a new file");
        return 2;
      }
      AgentApproval approval;
      try (RelationalStore store = parent.db.open()) {
        try {
          approval =
              new AgentRegistry(new Registry(store.dataSource()))
                  .approve(id, fingerprint, instruments);
        } catch (RegistryRejection e) {
          System.err.println("--" + optionOf(e.field()) + ": " + e.getMessage());
          return 2;
        }
        AdminCommand.audit(store, "agent.approve", "/api/v1/agents/" + id + "/approve");
      }
      Path parentDir = credentialFile.toAbsolutePath().getParent();
      Files.createDirectories(parentDir);
      Files.createFile(
          credentialFile,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(credentialFile, approval.mqttPassword());
      System.out.printf(
          "agent %s APPROVED for %s%ncredential written to %s%n",
          id, approval.agent().instrumentIds(), credentialFile);
      return 0;
    }

    private static String optionOf(String field) {
      return switch (field) {
        case "instrumentIds" -> "instrument";
        default -> field;
      };
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists facilities and instruments.")
  static final class ListAll implements Callable<Integer> {
    @ParentCommand RegistryCommand parent;

    @Override
    public Integer call() {
      try (RelationalStore store = parent.db.open()) {
        Registry registry = new Registry(store.dataSource());
        for (Facility f : registry.facilities()) {
          System.out.printf(
              "facility   %-24s %s %s%n", f.id(), f.name(), f.nameZh() == null ? "" : f.nameZh());
        }
        for (Instrument i : registry.instruments()) {
          System.out.printf("instrument %-24s %s (%s)%n", i.id(), i.name(), i.facilityId());
        }
      }
      return 0;
    }
  }
}
