package io.windowpane.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A free port on the loopback interface, for the servers windowpane starts inside its own JVM. */
public final class LoopbackPort {

  private LoopbackPort() {}

  /** A port that was free a moment ago: the caller's server binds it next (a small race, as with any such pick). */
  public static int free() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
