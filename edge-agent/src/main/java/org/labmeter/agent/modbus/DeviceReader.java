package org.labmeter.agent.modbus;

import com.digitalpetri.modbus.exceptions.ModbusCrcException;
import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import com.digitalpetri.modbus.exceptions.ModbusTimeoutException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.labmeter.adapters.profile.DeviceProfile;
import org.labmeter.adapters.profile.ReadBlock;
import org.labmeter.adapters.profile.ReadPlan;
import org.labmeter.adapters.profile.RegisterImage;
import org.labmeter.agent.config.BusTiming;

/**
 * Reads every block of one device's plan over a connection: retries a timeout (with doubling
 * backoff), never retries an exception response (the device answered), pauses between requests. The
 * first block that fails ends the poll: a unit that does not answer one request will not answer the
 * next, and giving up early keeps the bus free for the other devices.
 */
final class DeviceReader {
  private final int unitId;
  private final DeviceProfile profile;
  private final List<ReadBlock> plan;
  private final BusTiming timing;

  DeviceReader(int unitId, DeviceProfile profile, BusTiming timing) {
    this.unitId = unitId;
    this.profile = profile;
    this.timing = timing;
    this.plan = ReadPlan.of(profile, timing.maxRegistersPerRequest());
  }

  List<ReadBlock> plan() {
    return plan;
  }

  PollOutcome poll(ModbusConnection connection) {
    RegisterImage image = new RegisterImage();
    for (int b = 0; b < plan.size(); b++) {
      ReadBlock block = plan.get(b);
      if (b > 0) {
        pause(timing.pauseMillis());
      }
      int[] words = null;
      for (int attempt = 0; words == null; attempt++) {
        try {
          words = connection.read(unitId, block);
        } catch (ModbusResponseException e) {
          return new PollOutcome.Unavailable(
              "exception-response",
              "exception code "
                  + e.getExceptionCode()
                  + " to function "
                  + e.getFunctionCode()
                  + " at "
                  + block.address()
                  + "+"
                  + block.count());
        } catch (ModbusConnection.ShortFrameException e) {
          return new PollOutcome.Unavailable("short-frame", e.getMessage());
        } catch (ModbusCrcException e) {
          return new PollOutcome.Unavailable("crc", "CRC error in the response");
        } catch (Exception e) {
          String reason = e instanceof ModbusTimeoutException ? "timeout" : "disconnected";
          if (attempt >= timing.retries() || !connection.isConnected()) {
            return new PollOutcome.Unavailable(
                reason, "no answer after " + (attempt + 1) + " tries: " + e.getMessage());
          }
          pause(timing.retryBackoffMillis() << attempt);
        }
      }
      if (block.table().bits()) {
        for (int i = 0; i < words.length; i++) {
          image.putBit(block.table(), block.address() + i, words[i] != 0);
        }
      } else {
        image.putWords(block.table(), block.address(), words);
      }
    }
    return new PollOutcome.Read(profile.decode(image));
  }

  private static void pause(long millis) {
    if (millis > 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
  }
}
