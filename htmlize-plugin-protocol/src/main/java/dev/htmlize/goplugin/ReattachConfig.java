package dev.htmlize.goplugin;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Where an already running plugin listens, so that a host can use it without launching anything: go-plugin's
 * {@code ReattachConfig}. go-plugin defines no serialized form; this one is the JSON shape that Terraform's
 * {@code TF_REATTACH_PROVIDERS} made common:
 * {@code {"Protocol":"grpc","ProtocolVersion":1,"Pid":4242,"Test":true,"Addr":{"Network":"unix","String":"/tmp/…"}}}.
 *
 * @param protocol        {@code grpc}
 * @param protocolVersion the app protocol version the plugin serves
 * @param network         where it listens
 * @param address         socket path or {@code host:port}
 * @param pid             its process id, or 0 if unknown
 * @param test            {@code true}: the plugin ends itself, so a host that reattached to it never shuts it down
 */
public record ReattachConfig(String protocol, int protocolVersion, Network network, String address, long pid,
                             boolean test) {

  /** This configuration as one line of JSON. */
  public String toJson() {
    JsonObject addr = new JsonObject();
    addr.addProperty("Network", network.wireName());
    addr.addProperty("String", address);
    JsonObject json = new JsonObject();
    json.addProperty("Protocol", protocol);
    json.addProperty("ProtocolVersion", protocolVersion);
    json.addProperty("Pid", pid);
    json.addProperty("Test", test);
    json.add("Addr", addr);
    return json.toString();
  }

  /**
   * Reads the JSON form.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static ReattachConfig fromJson(String text) {
    try {
      JsonObject json = JsonParser.parseString(text).getAsJsonObject();
      JsonObject addr = json.getAsJsonObject("Addr");
      if (addr == null || !addr.has("Network") || !addr.has("String")) {
        throw new IllegalArgumentException("reattach configuration has no Addr {Network, String}: " + text);
      }
      Network network = Network.fromWireName(addr.get("Network").getAsString());
      if (network == null) {
        throw new IllegalArgumentException("reattach configuration names an unknown network: " + text);
      }
      String protocol = json.has("Protocol") ? json.get("Protocol").getAsString() : HandshakeLine.NETRPC;
      int version = json.has("ProtocolVersion") ? json.get("ProtocolVersion").getAsInt() : 0;
      long pid = json.has("Pid") ? json.get("Pid").getAsLong() : 0;
      boolean test = json.has("Test") && json.get("Test").getAsBoolean();
      return new ReattachConfig(protocol, version, network, addr.get("String").getAsString(), pid, test);
    } catch (JsonParseException | IllegalStateException | UnsupportedOperationException
             | ClassCastException | NumberFormatException e) {
      throw new IllegalArgumentException("not a reattach configuration (" + e.getMessage() + "): " + text, e);
    }
  }
}
