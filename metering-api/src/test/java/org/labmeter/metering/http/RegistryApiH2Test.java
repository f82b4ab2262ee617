package org.labmeter.metering.http;

import org.labmeter.metering.testing.TestStore;

/** {@link RegistryApiContract} on H2, the default store. */
class RegistryApiH2Test extends RegistryApiContract {
  @Override
  TestStore.Kind kind() {
    return TestStore.Kind.H2;
  }
}
