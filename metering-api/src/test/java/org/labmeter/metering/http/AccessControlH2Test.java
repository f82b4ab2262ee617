package org.labmeter.metering.http;

import org.labmeter.metering.testing.TestStore;

/** {@link AccessControlContract} on H2, the default store. */
class AccessControlH2Test extends AccessControlContract {
  @Override
  TestStore.Kind kind() {
    return TestStore.Kind.H2;
  }
}
